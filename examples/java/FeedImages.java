import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Feeds a folder of images to the pipeline with a plain Kafka producer (kafka-clients only, no
 * class of this project), then reads their results from kbi.results with read_committed and
 * prints "<key> <top-1 label>" for each, or "<key> ERROR" for an image the pipeline could not
 * process (its result then carries the error instead of a prediction).
 *
 * <pre>java -cp 'kafka-clients.jar:...' examples/java/FeedImages.java BOOTSTRAP FOLDER JOB</pre>
 *
 * Each JPEG or PNG is one record on kbi.input: key = its file name, value = its bytes, headers
 * content-type and kbi-job-id. The job's total goes to kbi.jobs as JSON, so that it completes.
 */
public class FeedImages {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern TOP1 = Pattern.compile("\"top1_label\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: FeedImages BOOTSTRAP FOLDER JOB");
            System.exit(2);
        }
        String bootstrap = args[0];
        String job = args[2];
        List<Path> images;
        try (Stream<Path> files = Files.list(Path.of(args[1]))) {
            images = files.filter(f -> contentType(f) != null).sorted().toList();
        }
        send(bootstrap, job, images);
        System.out.println("Sent " + images.size() + " images as job " + job + " to kbi.input");
        Map<String, String> labels = readResults(bootstrap, job, images.size());
        labels.forEach((key, label) -> System.out.println(key + " " + label));
        if (labels.size() < images.size()) {
            System.err.println("Only " + labels.size() + " of " + images.size() + " results within " + TIMEOUT);
            System.exit(1);
        }
    }

    private static void send(String bootstrap, String job, List<Path> images) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (Path image : images) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("kbi.input", bytes(name(image)),
                        Files.readAllBytes(image));
                record.headers().add("content-type", bytes(contentType(image)));
                record.headers().add("kbi-job-id", bytes(job));
                producer.send(record);
            }
            String announcement = String.format(Locale.ROOT,
                    "{\"jobId\": \"%s\", \"input\": \"java\", \"totalRows\": %d, \"announcedAtMillis\": %d}", job,
                    images.size(), System.currentTimeMillis());
            producer.send(new ProducerRecord<>("kbi.jobs", bytes(job), bytes(announcement))).get();
        }
    }

    private static Map<String, String> readResults(String bootstrap, String job, int expected) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "example-java-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, String> labels = new TreeMap<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("kbi.results"));
            while (labels.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    Header jobHeader = record.headers().lastHeader("kbi-job-id");
                    if (jobHeader == null || !job.equals(new String(jobHeader.value(), StandardCharsets.UTF_8))) {
                        continue;
                    }
                    Header kind = record.headers().lastHeader("kbi-result");
                    boolean error = kind != null && "error".equals(new String(kind.value(), StandardCharsets.UTF_8));
                    Matcher top1 = TOP1.matcher(new String(record.value(), StandardCharsets.UTF_8));
                    labels.put(new String(record.key(), StandardCharsets.UTF_8),
                            error ? "ERROR" : top1.find() ? top1.group(1) : "-");
                }
            }
        }
        return labels;
    }

    private static String contentType(Path file) {
        String name = name(file).toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            return "image/png";
        }
        return name.endsWith(".jpg") || name.endsWith(".jpeg") ? "image/jpeg" : null;
    }

    private static String name(Path file) {
        return file.getFileName().toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
