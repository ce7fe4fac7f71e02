#!/bin/sh
# Run by the minio-setup Job (setup-job.yaml) with mc: buckets, one user and policy per function, and the
# bucket notification that sends the upload bucket's new objects and removals to the minio-source. Safe to run again.
set -eu

echo "waiting for MinIO at $MINIO_URL"
tries=0
until mc alias set store "$MINIO_URL" "$ROOT_USER" "$ROOT_PASSWORD" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "MinIO did not answer at $MINIO_URL within 5 minutes" >&2
    exit 1
  fi
  sleep 5
done

upload=$(echo "$UPLOAD_BUCKETS" | tr ',' ' ')
for bucket in $upload "$THUMBNAILS_BUCKET"; do
  echo "bucket $bucket"
  mc mb --ignore-existing "store/$bucket"
done

# One user per function, each with only what it needs (issue 8, finding 10). HEAD and GET both need s3:GetObject;
# s3:ListBucket lets a HEAD of a missing key answer 404 instead of 403 (S3 and MinIO hide existence otherwise),
# which the functions rely on to tell "gone" from "forbidden".
#   thumbnails-status       (public status API): read the upload buckets and the thumbnails bucket; no writes,
#                           unless STATUS_BROWSER_UPLOADS=true: then also s3:PutObject on
#                           <upload bucket>/<STATUS_UPLOADS_PREFIX>* only, for the forms POST /uploads signs (a
#                           presigned POST writes as its signer; issue 12). Off by default; running again with
#                           it off takes the grant back (the policy is rewritten whole).
#   thumbnails-dead-letter  (cluster-local dead-letter sink): HEAD the upload buckets; read and write the job
#                           records under thumbnails/jobs/ only, never a rendition.
#   thumbnails-resize       (the worker): read the upload buckets; read, write and delete in the thumbnails bucket
#                           (a removed source's renditions and job record go away). Never writes an upload bucket.
# The minio-source has no user: it never talks to MinIO.
uploads=""
upload_objects=""
for bucket in $upload; do
  uploads="$uploads\"arn:aws:s3:::$bucket\","
  upload_objects="$upload_objects\"arn:aws:s3:::$bucket/*\","
done
uploads="${uploads%,}"
upload_objects="${upload_objects%,}"
thumbnails="\"arn:aws:s3:::$THUMBNAILS_BUCKET\""

browser_uploads=""
case "${STATUS_BROWSER_UPLOADS:-false}" in
  true)
    prefix="${STATUS_UPLOADS_PREFIX:-uploads/}"
    # The prefix goes into a policy Resource, where * and ? are wildcards and " or \ would break the JSON.
    case "$prefix" in
      /*|*[*?\"\\]*)
        printf '%s\n' "STATUS_UPLOADS_PREFIX '$prefix' must not start with / nor contain * ? \" or \\" >&2
        exit 1 ;;
    esac
    resources=""
    for bucket in $upload; do
      resources="$resources\"arn:aws:s3:::$bucket/$prefix*\","
    done
    browser_uploads=",
  {\"Effect\": \"Allow\", \"Action\": [\"s3:PutObject\"], \"Resource\": [${resources%,}]}"
    echo "status user: may also write <upload bucket>/$prefix* (STATUS_BROWSER_UPLOADS=true)" ;;
  false) ;;
  *)
    echo "STATUS_BROWSER_UPLOADS must be true or false, got '$STATUS_BROWSER_UPLOADS'" >&2
    exit 1 ;;
esac
cat > /tmp/policy-status.json <<JSON
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": [$uploads, $thumbnails]},
  {"Effect": "Allow", "Action": ["s3:GetObject"],
   "Resource": [$upload_objects, "arn:aws:s3:::$THUMBNAILS_BUCKET/*"]}$browser_uploads]}
JSON
cat > /tmp/policy-dead-letter.json <<JSON
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": [$uploads, $thumbnails]},
  {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": [$upload_objects]},
  {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
   "Resource": ["arn:aws:s3:::$THUMBNAILS_BUCKET/jobs/*"]}]}
JSON
cat > /tmp/policy-resize.json <<JSON
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": [$uploads, $thumbnails]},
  {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": [$upload_objects]},
  {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
   "Resource": ["arn:aws:s3:::$THUMBNAILS_BUCKET/*"]}]}
JSON

# user NAME ACCESS_KEY SECRET_KEY: creates (or updates) policy thumbnails-NAME and the user, and attaches it once
# (attaching twice is an error). The mc image (ubi-micro) has no grep: match with the shell.
user() {
  echo "user $2 with policy thumbnails-$1"
  mc admin policy create store "thumbnails-$1" "/tmp/policy-$1.json"
  mc admin user add store "$2" "$3"
  case "$(mc admin policy entities store --user "$2")" in
    *"thumbnails-$1"*) ;;
    *) mc admin policy attach store "thumbnails-$1" --user "$2" ;;
  esac
}
user status "$STATUS_ACCESS_KEY" "$STATUS_SECRET_KEY"
user dead-letter "$DEAD_LETTER_ACCESS_KEY" "$DEAD_LETTER_SECRET_KEY"
user resize "$RESIZE_ACCESS_KEY" "$RESIZE_SECRET_KEY"

# Only the upload buckets are subscribed: renditions and job records go to another bucket, so writing them can
# never re-trigger the pipeline. `put` includes tagging/retention events, which the Trigger drops; `delete` sends
# ObjectRemoved:Delete and :DeleteMarkerCreated, which the Trigger routes to resize (issue 8, finding 4).
# `mc event add --ignore-existing` keeps an older `put`-only rule: replace a rule without removals (a window of
# milliseconds, once, on the upgrade).
for bucket in $upload; do
  echo "notification $bucket -> $WEBHOOK_ARN"
  case "$(mc event ls "store/$bucket" "$WEBHOOK_ARN")" in
    *ObjectRemoved*) ;;
    *) mc event remove "store/$bucket" "$WEBHOOK_ARN" >/dev/null 2>&1 || true ;;
  esac
  mc event add "store/$bucket" "$WEBHOOK_ARN" --event put,delete --ignore-existing
  mc event ls "store/$bucket"
done
echo "MinIO is set up"
