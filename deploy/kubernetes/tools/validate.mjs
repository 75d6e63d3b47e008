// Validates rendered manifests (multi-document YAML files given as arguments) against the
// Kubernetes and KEDA OpenAPI schemas of the kubernetes-models packages. Types, required fields
// and enums are checked; unknown fields are not (the schemas allow them). Run by validate.sh.
import fs from 'node:fs';
import * as yaml from 'js-yaml';
import * as core from 'kubernetes-models/v1';
import * as apps from 'kubernetes-models/apps/v1';
import * as batch from 'kubernetes-models/batch/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as keda from '@kubernetes-models/keda/keda.sh/v1alpha1';

const models = { 'v1': core, 'apps/v1': apps, 'batch/v1': batch, 'policy/v1': policy, 'keda.sh/v1alpha1': keda };
let documents = 0;
let failures = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of yaml.loadAll(fs.readFileSync(file, 'utf8'))) {
    if (!doc) continue;
    documents++;
    const what = `${file}: ${doc.kind}/${doc.metadata?.name}`;
    const Model = models[doc.apiVersion]?.[doc.kind];
    if (!Model) {
      failures++;
      console.log(`FAIL ${what}: no schema for ${doc.apiVersion} ${doc.kind}`);
      continue;
    }
    try {
      new Model(doc).validate();
      console.log(`ok   ${what}`);
    } catch (e) {
      failures++;
      console.log(`FAIL ${what}: ${e.message}`);
    }
  }
}
console.log(`${documents} documents, ${failures} failed`);
process.exit(failures ? 1 : 0);
