// The tinygltf implementation, compiled once with Draco. Debian's libtinygltf.so is built without
// Draco, and many museum glTFs are Draco-compressed. Images are decoded by our own loader
// (gltf_importer.cpp) so stb_image comes from libstb, and we never write files.
#define TINYGLTF_IMPLEMENTATION
#define TINYGLTF_ENABLE_DRACO
#define TINYGLTF_NO_STB_IMAGE
#define TINYGLTF_NO_STB_IMAGE_WRITE
#include <tiny_gltf.h>
