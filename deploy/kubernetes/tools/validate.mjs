// Validates rendered manifests (multi-document YAML files given as arguments) strictly, without a
// cluster. Run by validate.sh, which renders them with kustomize first. Each object is checked three
// ways, all from the community's published models (kubernetes-models and its KEDA, Strimzi and
// Prometheus Operator packages), nothing hand-written but the KEDA trigger keys:
//   1. types, required fields, enums and formats: the models' OpenAPI validators;
//   2. unknown fields, at any depth: every object is type-checked by the TypeScript compiler as an
//      object literal of the model's interface, and excess-property checks refuse a field the schema
//      does not name (what `kubectl apply --validate=strict` does on a cluster);
//   3. KEDA kafka triggers: their metadata is a free-form map in the CRD, so its keys are checked
//      against the ones KEDA's kafka scaler reads (misspelled keys are otherwise silently ignored).
import fs from 'node:fs';
import path from 'node:path';
import * as yaml from 'js-yaml';
import ts from 'typescript';

// apiVersion -> the package path whose <Kind> module exports class <Kind> and interface I<Kind>.
const MODELS = {
  'v1': 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'batch/v1': 'kubernetes-models/batch/v1',
  'policy/v1': 'kubernetes-models/policy/v1',
  'keda.sh/v1alpha1': '@kubernetes-models/keda/keda.sh/v1alpha1',
  'kafka.strimzi.io/v1': '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1',
  'monitoring.coreos.com/v1': '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1',
};

// Trigger metadata keys of KEDA's kafka scaler (pkg/scalers/kafka_scaler.go, the `keda:"name=..."`
// tags read from triggerMetadata); a key read from the environment may also be given as <key>FromEnv.
const KAFKA_TRIGGER_KEYS = new Set([
  'bootstrapServers', 'consumerGroup', 'topic', 'partitionLimitation', 'lagThreshold',
  'activationLagThreshold', 'offsetResetPolicy', 'allowIdleConsumers', 'excludePersistentLag',
  'scaleToZeroOnInvalidOffset', 'limitToPartitionsWithLag', 'ensureEvenDistributionOfPartitions',
  'version', 'sasl', 'saslTokenProvider', 'awsRegion', 'tls', 'unsafeSsl',
]);
const KAFKA_TRIGGER_ENV_KEYS = new Set(['bootstrapServers', 'consumerGroup', 'topic']);

const documents = [];
for (const file of process.argv.slice(2)) {
  for (const doc of yaml.loadAll(fs.readFileSync(file, 'utf8'))) {
    if (doc) documents.push({ file: path.basename(file), doc, failures: [] });
  }
}

const known = [];
for (const entry of documents) {
  const { doc } = entry;
  const modulePath = MODELS[doc.apiVersion];
  if (!modulePath) {
    entry.failures.push(`no schema for ${doc.apiVersion} ${doc.kind}`);
    continue;
  }
  let Model;
  try {
    Model = (await import(`${modulePath}/${doc.kind}`))[doc.kind];
  } catch {
    entry.failures.push(`no schema for ${doc.apiVersion} ${doc.kind}`);
    continue;
  }
  try {
    new Model(doc).validate();
  } catch (e) {
    entry.failures.push(e.message);
  }
  known.push({ entry, modulePath });
  if (doc.apiVersion === 'keda.sh/v1alpha1') checkKafkaTriggers(entry);
}
checkUnknownFields(known);

let failed = 0;
for (const { file, doc, failures } of documents) {
  const what = `${file}: ${doc.kind}/${doc.metadata?.name}`;
  if (failures.length === 0) {
    console.log(`ok   ${what}`);
  } else {
    failed++;
    for (const failure of failures) console.log(`FAIL ${what}: ${failure}`);
  }
}
console.log(`${documents.length} documents, ${failed} failed`);
process.exit(failed ? 1 : 0);

function checkKafkaTriggers(entry) {
  for (const trigger of entry.doc.spec?.triggers ?? []) {
    if (trigger.type !== 'kafka') continue;
    for (const key of Object.keys(trigger.metadata ?? {})) {
      const fromEnv = key.endsWith('FromEnv') && KAFKA_TRIGGER_ENV_KEYS.has(key.slice(0, -'FromEnv'.length));
      if (!KAFKA_TRIGGER_KEYS.has(key) && !fromEnv) {
        entry.failures.push(`kafka trigger metadata key '${key}' is not one KEDA's kafka scaler reads`);
      }
    }
  }
}

// One generated TypeScript file: each object as `const dN: I<Kind> = {...}`; the compiler's
// diagnostics are mapped back to the objects by line.
function checkUnknownFields(items) {
  let source = '';
  items.forEach(({ entry, modulePath }, i) => {
    source += `import type { I${entry.doc.kind} as T${i} } from "${modulePath}/${entry.doc.kind}";\n`;
  });
  const firstLines = [];
  items.forEach(({ entry }, i) => {
    firstLines.push(source.split('\n').length);
    source += `export const d${i}: T${i} = ${JSON.stringify(entry.doc, null, 1)};\n`;
  });
  const file = path.resolve('rendered/objects.ts');
  fs.writeFileSync(file, source);
  const program = ts.createProgram([file], {
    strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
  });
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    if (!diagnostic.file) throw new Error(message);
    const line = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1;
    let i = firstLines.length - 1;
    while (i > 0 && firstLines[i] > line) i--;
    items[i].entry.failures.push(message);
  }
}
