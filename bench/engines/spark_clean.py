"""Clean JSONL dumps with boilerstrip as a Spark map step.

spark-submit spark_clean.py INPUT OUTPUT [BOILERSTRIP]
"""
import shlex
import sys

from pyspark import SparkContext

# Its absolute path on every executor: PySpark's pipe() starts the command with an empty
# environment unless given env=, so a bare name is looked up in /bin and /usr/bin only.
BOILERSTRIP = "/usr/local/bin/boilerstrip"


def clean(lines, boilerstrip=BOILERSTRIP):
    """The RDD of cleaned JSONL lines, in the order of `lines`."""
    command = [boilerstrip, "clean", "--format", "jsonl", "-j", "1",
               "--id-field", "id",    # warnings name the record, not a line of the partition
               "--on-error", "fail",  # a bad line fails the task, and so the job
               "-"]
    # checkCode=True: a non-zero exit fails the task. Without it, the job succeeds with the
    # lines written before the failure.
    return lines.pipe(shlex.join(command), checkCode=True)


if __name__ == "__main__":
    src, dst = sys.argv[1:3]
    sc = SparkContext(appName="boilerstrip")
    clean(sc.textFile(src), *sys.argv[3:]).saveAsTextFile(
        dst, compressionCodecClass="org.apache.hadoop.io.compress.GzipCodec")
    sc.stop()
