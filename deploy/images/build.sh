#!/usr/bin/env bash
# Builds the local images minik8s runs without any registry, as OCI image-layout tarballs:
#
#   localhost/busybox:latest   a rootfs with Debian's static /usr/bin/busybox and its applet links,
#                              /www/index.html, /etc/passwd and /etc/group; Cmd ["sh"]
#   localhost/pause:latest     the same rootfs; Entrypoint ["/bin/sleep","2147483647"] (the sandbox
#                              process that holds a pod's namespaces)
#
#   deploy/images/build.sh [--out DIR] [--busybox PATH]
#
# Writes DIR/busybox.tar and DIR/pause.tar (default DIR: $MINIK8S_IMAGES or /var/tmp/minik8s-images).
# Needs bash, coreutils, tar and gzip only. The output is reproducible: the same busybox binary gives
# the same digests (fixed mtimes and owners, sorted tar entries, gzip without a name or timestamp).
# Each tarball is written to a temporary name and renamed, so concurrent builds never see half a file.
# Load them with deploy/images/load.sh; README.md explains how to build your own image the same way.
set -euo pipefail

out=${MINIK8S_IMAGES:-/var/tmp/minik8s-images}
busybox=/usr/bin/busybox
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=$2; shift 2 ;;
    --busybox) busybox=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -x "$busybox" ] || { echo "build.sh: $busybox not found (apt-get install busybox-static; it must be the static build)" >&2; exit 1; }

applets=(sh httpd wget nc nslookup sleep echo cat ls env hostname ps kill timeout true false mkdir printf
  grep id rm cp mv touch head tail wc date ip ping test sed seq uname tee stat which)

mkdir -p "$out"
work=$(mktemp -d "$out/.build.XXXXXX")
trap 'rm -rf "$work"' EXIT

# ---- the rootfs, shared by both images ----
rootfs=$work/rootfs
mkdir -p "$rootfs"/{bin,etc,www,tmp,root,proc,sys,dev,var/run}
cp "$busybox" "$rootfs/bin/busybox"
chmod 0755 "$rootfs/bin/busybox"
for a in "${applets[@]}"; do ln -s busybox "$rootfs/bin/$a"; done
chmod 1777 "$rootfs/tmp"
chmod 0700 "$rootfs/root"
printf 'hello from minik8s\n' >"$rootfs/www/index.html"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\nnobody:x:65534:\n' >"$rootfs/etc/group"
chmod 0644 "$rootfs/www/index.html" "$rootfs/etc/passwd" "$rootfs/etc/group"

# ---- blobs ----
blobs=$work/blobs/sha256
mkdir -p "$blobs"

digest_of() { sha256sum "$1" | cut -d' ' -f1; }
size_of() { stat -c %s "$1"; }
# Stores a file as a blob; prints its digest.
put_blob() {
  local d
  d=$(digest_of "$1")
  mv "$1" "$blobs/$d"
  echo "$d"
}

layer_tar=$work/layer.tar
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu \
  -C "$rootfs" -cf "$layer_tar" bin dev etc proc root sys tmp var www
diff_id=$(digest_of "$layer_tar")
gzip -n -9 "$layer_tar"
layer_size=$(size_of "$layer_tar.gz")
layer_digest=$(put_blob "$layer_tar.gz")

path_env='PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

# Writes one image tarball: name, output file, and the JSON of the config's "config" object.
write_image() {
  local name=$1 tarball=$2 image_config=$3
  local config=$work/config.json manifest=$work/manifest.json layout=$work/layout-$RANDOM
  printf '{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":%s,"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"minik8s deploy/images/build.sh"}]}' \
    "$image_config" "$diff_id" >"$config"
  local config_size config_digest
  config_size=$(size_of "$config")
  config_digest=$(put_blob "$config")
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' \
    "$config_digest" "$config_size" "$layer_digest" "$layer_size" >"$manifest"
  local manifest_size manifest_digest
  manifest_size=$(size_of "$manifest")
  manifest_digest=$(put_blob "$manifest")

  mkdir -p "$layout/blobs/sha256"
  for d in "$layer_digest" "$config_digest" "$manifest_digest"; do
    cp "$blobs/$d" "$layout/blobs/sha256/$d"
  done
  printf '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"architecture":"amd64","os":"linux"},"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
    "$manifest_digest" "$manifest_size" "$name" "$name" >"$layout/index.json"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu \
    -C "$layout" -cf "$work/image.tar" oci-layout index.json blobs
  mv -f "$work/image.tar" "$tarball"
  echo "build.sh: $name -> $tarball (manifest sha256:$manifest_digest)"
}

write_image localhost/busybox:latest "$out/busybox.tar" \
  "{\"Env\":[\"$path_env\"],\"Cmd\":[\"sh\"],\"WorkingDir\":\"/\"}"
write_image localhost/pause:latest "$out/pause.tar" \
  "{\"Env\":[\"$path_env\"],\"Entrypoint\":[\"/bin/sleep\",\"2147483647\"],\"WorkingDir\":\"/\"}"
