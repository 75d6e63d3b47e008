#!/usr/bin/python3
"""Feeds a folder of images to the pipeline with confluent-kafka, then reads their results.

    /usr/bin/python3 examples/python/feed_and_read.py BOOTSTRAP FOLDER JOB [TIMEOUT_SECONDS]

Each JPEG or PNG becomes one record on kbi.input (key = its file name, value = its bytes), in
job JOB; the job's total is announced on kbi.jobs. Then kbi.results is read with
isolation.level=read_committed until every image has its answer, printed as
"<key> <top-1 label> <score>", or "<key> ERROR <class>: <message>" for an image the pipeline could
not process (its dead letter). Needs Debian's python3-confluent-kafka.
"""
import json
import os
import sys
import time

from confluent_kafka import Consumer, Producer

INPUT_TOPIC = os.environ.get("KBI_TOPICS_INPUT", "kbi.input")
JOBS_TOPIC = os.environ.get("KBI_TOPICS_JOBS", "kbi.jobs")
RESULTS_TOPIC = os.environ.get("KBI_TOPICS_RESULTS", "kbi.results")
CONTENT_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def send(bootstrap, folder, job):
    """Produces each image and the job's announcement; returns the keys sent."""
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True})
    keys = []
    for name in sorted(os.listdir(folder)):
        content_type = CONTENT_TYPES.get(os.path.splitext(name)[1].lower())
        if content_type is None:
            continue
        with open(os.path.join(folder, name), "rb") as image:
            value = image.read()
        producer.produce(INPUT_TOPIC, key=name, value=value,
                         headers=[("content-type", content_type), ("kbi-job-id", job)])
        producer.poll(0)
        keys.append(name)
    announcement = {"jobId": job, "input": "python " + folder, "totalRows": len(keys),
                    "announcedAtMillis": int(time.time() * 1000)}
    producer.produce(JOBS_TOPIC, key=job, value=json.dumps(announcement))
    if producer.flush(30) != 0:
        sys.exit("some records were not delivered within 30 s")
    return keys


def read_results(bootstrap, job, keys, timeout):
    """Reads the job's results until every key has one; returns {key: the line to print}."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "example-python-" + job,
                         "isolation.level": "read_committed", "auto.offset.reset": "earliest",
                         "enable.auto.commit": False})
    consumer.subscribe([RESULTS_TOPIC])
    results = {}
    deadline = time.time() + timeout
    try:
        while len(results) < len(keys) and time.time() < deadline:
            message = consumer.poll(1.0)
            if message is None or message.error():
                continue
            if dict(message.headers() or []).get("kbi-job-id") != job.encode():
                continue
            result = json.loads(message.value())
            if "error" in result:
                error = result["error"]
                line = f"ERROR {error['class']}: {error['message']}"
            else:
                line = f"{result['top1_label']} {result['top1_score']:.4f}"
            results[message.key().decode()] = line
    finally:
        consumer.close()
    return results


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    bootstrap, folder, job = sys.argv[1:4]
    timeout = float(sys.argv[4]) if len(sys.argv) == 5 else 120
    keys = send(bootstrap, folder, job)
    print(f"Sent {len(keys)} images as job {job} to {INPUT_TOPIC}", flush=True)
    results = read_results(bootstrap, job, keys, timeout)
    for key in sorted(results):
        print(f"{key} {results[key]}")
    missing = sorted(set(keys) - set(results))
    if missing:
        sys.exit(f"no result within {timeout} s for {len(missing)} image(s): {missing[:5]}")


if __name__ == "__main__":
    main()
