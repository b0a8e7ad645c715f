#!/bin/sh
# A stand-in for Kafka's bin/kafka-configs.sh, for tests/deploy/topics_test.cc:
# appends the call to $FAKE_KAFKA_STATE/log and fails for a topic that
# does not exist.
set -eu
state="${FAKE_KAFKA_STATE:?}"
echo "kafka-configs.sh $*" >>"$state/log"
name=""
while [ $# -gt 0 ]; do
  [ "$1" = --entity-name ] && name="$2"
  shift
done
[ -f "$state/topics/$name" ] || { echo "Topic $name does not exist" >&2; exit 1; }
