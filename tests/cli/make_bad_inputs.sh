#!/usr/bin/env bash
# Writes broken scan files into DIR for the command-line failure tests. Each is derived from a real
# corpus file or is the smallest file showing one fault.
set -eu
dir="$1"; corpus="$2"
mkdir -p "$dir"
whale="$corpus/meshes/iiif3d-assets/assets/whale/whale_cranium.glb"
bunny="$corpus/meshes/stanford-bunny/bunny/reconstruction/bun_zipper_res4.ply"

head -c 5000 "$whale" > "$dir/truncated.glb"
# The bunny with its body cut short: the header promises more faces than the file holds.
head -c "$(( $(wc -c < "$bunny") - 2000 ))" "$bunny" > "$dir/truncated.ply"
# Corrupt: the GLB's JSON chunk overwritten with garbage.
cp "$whale" "$dir/corrupt.glb"
printf 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' | dd of="$dir/corrupt.glb" bs=1 seek=24 conv=notrunc status=none
printf 'this is not a scan\n' > "$dir/notes.xyz"
: > "$dir/empty.glb"
printf '# no geometry at all\no empty\n' > "$dir/empty.obj"
printf 'v nan 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n' > "$dir/nan.obj"
printf 'v inf 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n' > "$dir/infinite.obj"
cat > "$dir/index_out_of_range.ply" <<'PLY'
ply
format ascii 1.0
element vertex 3
property float x
property float y
property float z
element face 1
property list uchar int vertex_indices
end_header
0 0 0
1 0 0
0 1 0
3 0 1 7
PLY
cat > "$dir/nan.ply" <<'PLY'
ply
format ascii 1.0
element vertex 3
property float x
property float y
property float z
element face 1
property list uchar int vertex_indices
end_header
0 0 0
nan 0 0
0 1 0
3 0 1 2
PLY
# A valid triangle whose material points at a texture file that does not exist.
buffer="$(printf '\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x3f\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x3f\x00\x00\x00\x00' | base64 -w0)"
cat > "$dir/missing_texture.gltf" <<GLTF
{"asset":{"version":"2.0"},
 "buffers":[{"byteLength":36,"uri":"data:application/octet-stream;base64,$buffer"}],
 "bufferViews":[{"buffer":0,"byteOffset":0,"byteLength":36}],
 "accessors":[{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]}],
 "images":[{"uri":"no_such_texture.png"}],
 "textures":[{"source":0}],
 "materials":[{"pbrMetallicRoughness":{"baseColorTexture":{"index":0}}}],
 "meshes":[{"primitives":[{"attributes":{"POSITION":0},"material":0}]}],
 "nodes":[{"mesh":0}],"scenes":[{"nodes":[0]}],"scene":0}
GLTF
