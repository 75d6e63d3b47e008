package dev.kbi.loadtests;

import dev.kbi.common.pipeline.Pipeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG plots of the results, drawn with XChart. */
final class Charts {

    private Charts() {
    }

    /** Throughput and inference memory against batch size, one series per concurrency. */
    static void sweep(List<PipelineResult> sweep, Path dir) throws IOException {
        XYChart throughput = chart("Pipeline throughput vs inference.batch-size", "batch size", "rows/s");
        XYChart memory = chart("Inference peak RSS vs inference.batch-size", "batch size", "MiB");
        Map<String, List<PipelineResult>> byConcurrency = sweep.stream().collect(java.util.stream.Collectors
                .groupingBy(r -> r.settings().get("kbi.stage.concurrency"), java.util.TreeMap::new,
                        java.util.stream.Collectors.toList()));
        byConcurrency.forEach((concurrency, results) -> {
            List<Double> batch = results.stream().map(r -> Double.valueOf(r.settings().get("inference.batch-size")))
                    .toList();
            throughput.addSeries("concurrency " + concurrency, batch,
                    results.stream().map(PipelineResult::rowsPerSecond).toList());
            memory.addSeries("concurrency " + concurrency, batch,
                    results.stream().map(r -> (double) r.peakRssMiB(Pipeline.INFERENCE)).toList());
        });
        BitmapEncoder.saveBitmap(throughput, dir.resolve("sweep-throughput").toString(), BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(memory, dir.resolve("sweep-memory").toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Transport MB/s against block size, ours and Kafka's ProducerPerformance. */
    static void transport(List<TransportBenchmark.Point> points, Path dir) throws IOException {
        XYChart chart = chart("Transport: MB/s through one topic vs block size", "block size (KiB)", "MB/s");
        List<Double> sizes = points.stream().map(p -> p.blockBytes() / 1024.0).toList();
        chart.addSeries("Arrow tensor blocks (encode + produce)", sizes,
                points.stream().map(TransportBenchmark.Point::pipelineMBps).toList());
        chart.addSeries("Kafka ProducerPerformance", sizes,
                points.stream().map(TransportBenchmark.Point::kafkaMBps).toList());
        BitmapEncoder.saveBitmap(chart, dir.resolve("transport").toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Rows/s and peak RSS per service against data size. */
    static void scaling(List<PipelineResult> scale, Path dir) throws IOException {
        XYChart chart = chart("Peak RSS per service vs rows in the job", "rows", "MiB");
        List<Double> rows = scale.stream().map(r -> (double) r.rows()).toList();
        for (String stage : RunSampler.SERVICES) {
            chart.addSeries(stage, rows, scale.stream().map(r -> (double) r.peakRssMiB(stage)).toList());
        }
        chart.getStyler().setXAxisLogarithmic(true);
        BitmapEncoder.saveBitmap(chart, dir.resolve("scaling-memory").toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * The memory scenario: peak RSS per service at 1x and 10x rows (fixed heaps, the same services after
     * a warm-up job), and the bytes in flight over each job.
     */
    static void memory(List<PipelineResult> runs, Path dir) throws IOException {
        CategoryChart rss = new CategoryChartBuilder().width(800).height(500)
                .title("Peak RSS per service after each job, fixed heaps: 1x vs 10x rows").xAxisTitle("service").yAxisTitle("MiB")
                .build();
        rss.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        List<String> services = RunSampler.SERVICES;
        XYChart inFlight = chart("Bytes in flight (reader to writer) during the run", "seconds from first block",
                "KiB");
        for (PipelineResult run : runs) {
            String label = String.format("%,d rows", run.rows());
            rss.addSeries(label, services, services.stream().map(s -> (double) run.peakRssMiB(s)).toList());
            List<RunSampler.Sample> series = run.inFlight().series();
            if (!series.isEmpty()) {
                inFlight.addSeries(label, secondsFromFirst(series), series.stream().map(s -> s.bytes() / 1024.0)
                        .toList()).setMarker(SeriesMarkers.NONE);
            }
        }
        // The trends last, so that no run's saw-tooth hides them.
        for (PipelineResult run : runs) {
            List<RunSampler.Sample> series = run.inFlight().series();
            if (!series.isEmpty()) {
                inFlight.addSeries(String.format("%,d rows, 30 s mean", run.rows()), secondsFromFirst(series),
                        rollingMeanKiB(series, 30)).setMarker(SeriesMarkers.NONE);
            }
        }
        inFlight.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        BitmapEncoder.saveBitmap(rss, dir.resolve("memory-rss").toString(), BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(inFlight, dir.resolve("memory-in-flight").toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static List<Double> secondsFromFirst(List<RunSampler.Sample> series) {
        double t0 = series.get(0).seconds();
        return series.stream().map(s -> s.seconds() - t0).toList();
    }

    /** Each sample's mean bytes (KiB) over the {@code seconds} ending at it: the trend under the saw-tooth. */
    private static List<Double> rollingMeanKiB(List<RunSampler.Sample> series, double seconds) {
        List<Double> means = new java.util.ArrayList<>(series.size());
        int from = 0;
        double sum = 0;
        for (int i = 0; i < series.size(); i++) {
            sum += series.get(i).bytes();
            while (series.get(i).seconds() - series.get(from).seconds() > seconds) {
                sum -= series.get(from++).bytes();
            }
            means.add(sum / (i - from + 1) / 1024.0);
        }
        return means;
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(x).yAxisTitle(y).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setMarkerSize(8);
        return chart;
    }
}
