#!/bin/sh
# Run by the minio-setup Job (setup-job.yaml) with mc: buckets, the functions' user and policy, and the
# bucket notification that sends the upload bucket's new objects to the minio-source. Safe to run again.
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

# The functions read the upload buckets and read/write the thumbnails bucket, nothing else.
resources=""
for bucket in $upload; do
  resources="$resources\"arn:aws:s3:::$bucket\",\"arn:aws:s3:::$bucket/*\","
done
cat > /tmp/functions-policy.json <<JSON
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"],
   "Resource": [${resources%,}]},
  {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:GetBucketLocation"],
   "Resource": ["arn:aws:s3:::$THUMBNAILS_BUCKET", "arn:aws:s3:::$THUMBNAILS_BUCKET/*"]}]}
JSON
echo "user $APP_ACCESS_KEY with policy thumbnails-functions"
mc admin policy create store thumbnails-functions /tmp/functions-policy.json
mc admin user add store "$APP_ACCESS_KEY" "$APP_SECRET_KEY"
# The mc image (ubi-micro) has no grep: match with the shell. Attaching twice is an error, so attach once.
case "$(mc admin policy entities store --user "$APP_ACCESS_KEY")" in
  *thumbnails-functions*) ;;
  *) mc admin policy attach store thumbnails-functions --user "$APP_ACCESS_KEY" ;;
esac

# Only the upload buckets are subscribed: renditions and job records go to another bucket, so writing them can
# never re-trigger the pipeline. `put` includes tagging/retention events; the Trigger keeps only new content.
for bucket in $upload; do
  echo "notification $bucket -> $WEBHOOK_ARN"
  mc event add "store/$bucket" "$WEBHOOK_ARN" --event put --ignore-existing
  mc event ls "store/$bucket"
done
echo "MinIO is set up"
