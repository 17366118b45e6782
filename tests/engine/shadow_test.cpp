// Spot light shadows: a plate above a floor under one spot light. Its shadow must fall where the
// light's geometry puts it (measured in pixels, not only by the golden), and the cached shadow map
// must not be re-rendered for a frame that changes nothing, mono or stereo.
#include <cmath>

#include <glm/gtc/matrix_transform.hpp>
#include <gtest/gtest.h>

#include "golden.h"
#include "gpu_fixture.h"

namespace vt::test {
namespace {

constexpr uint32_t kSize = 256;
const glm::vec3 kLight{-1.0f, 3.0f, 0.0f};
const glm::vec3 kPlateCentre{0.0f, 1.5f, 0.0f};  // halfway down: its shadow is twice its size
constexpr float kPlateHalf = 0.2f;

// An axis-aligned box as 6 faces with outward normals (counter-clockwise from outside).
void addBox(asset::Mesh& mesh, glm::vec3 centre, glm::vec3 half) {
    for (int axis = 0; axis < 3; ++axis)
        for (float sign : {-1.0f, 1.0f}) {
            glm::vec3 n(0.0f);
            n[axis] = sign;
            const glm::vec3 u = axis == 0 ? glm::vec3(0, 1, 0) : axis == 1 ? glm::vec3(0, 0, 1) : glm::vec3(1, 0, 0);
            const glm::vec3 v = glm::cross(n, u);  // so cross(u, v) = n: counter-clockwise from outside
            const uint32_t base = uint32_t(mesh.positions.size());
            for (glm::vec2 c : {glm::vec2(-1, -1), glm::vec2(1, -1), glm::vec2(1, 1), glm::vec2(-1, 1)}) {
                mesh.positions.push_back(centre + half * (n + c.x * u + c.y * v));
                mesh.normals.push_back(n);
            }
            for (uint32_t i : {0u, 1u, 2u, 0u, 2u, 3u}) mesh.indices.push_back(base + i);
        }
}

asset::Model plateAboveFloor(glm::vec3 plateCentre) {
    asset::Model model;
    model.source = "plate above floor";
    asset::Material floor;
    floor.baseColorFactor = glm::vec4(0.8f, 0.8f, 0.8f, 1.0f);
    floor.metallicFactor = 0.0f;
    floor.roughnessFactor = 0.9f;
    asset::Material plate = floor;
    plate.baseColorFactor = glm::vec4(0.7f, 0.25f, 0.2f, 1.0f);
    model.materials = {floor, plate};
    asset::Mesh floorMesh, plateMesh;
    addBox(floorMesh, glm::vec3(0.5f, -0.05f, 0.0f), glm::vec3(3.0f, 0.05f, 3.0f));
    addBox(plateMesh, plateCentre, glm::vec3(kPlateHalf, 0.005f, kPlateHalf));
    plateMesh.material = 1;
    model.meshes = {floorMesh, plateMesh};
    return model;
}

scene::Lighting oneSpotLight(bool castsShadow) {
    scene::Lighting lighting;
    lighting.sun.intensity = 0.0f;  // only the spot light, so its shadow is all the contrast
    lighting.ambientIntensity = 0.25f;
    scene::SpotLight spot;
    spot.position = kLight;
    spot.direction = glm::normalize(glm::vec3(0.5f, 0.0f, 0.0f) - kLight);
    spot.intensity = 14.0f;
    spot.range = 8.0f;
    spot.innerConeRadians = 0.45f;
    spot.outerConeRadians = 0.65f;
    spot.castsShadow = castsShadow;
    lighting.spots = {spot};
    return lighting;
}

// Looking straight down at the floor from 4.5 m, centred where the shadow should fall.
scene::View topView() {
    scene::View view;
    view.position = glm::vec3(0.6f, 4.5f, 0.0f);
    view.viewFromWorld = glm::lookAtRH(view.position, glm::vec3(0.6f, 0.0f, 0.0f), glm::vec3(0.0f, 0.0f, -1.0f));
    view.clipFromView = scene::perspectiveReversedZ(glm::radians(50.0f), 1.0f, 0.1f);
    return view;
}

glm::vec2 pixelOf(const scene::View& view, glm::vec3 world) {
    const glm::vec4 clip = view.clipFromWorld() * glm::vec4(world, 1.0f);
    return (glm::vec2(clip) / clip.w * 0.5f + 0.5f) * float(kSize);
}

float luminance(const asset::Image& image, uint32_t x, uint32_t y) {
    const uint8_t* p = &image.rgba[(size_t(y) * image.width + x) * 4];
    return (float(p[0]) + float(p[1]) + float(p[2])) / 3.0f;
}

class Shadows : public GpuTest {
protected:
    render::HeadlessFrame render(const render::GpuModel& model, const scene::Lighting& lighting,
                                 std::span<const scene::View> views) {
        const render::DrawItem item{&model, glm::mat4(1.0f)};
        const render::FrameInput input{views, std::span(&item, 1), {}, &lighting};
        return render::renderHeadless(*context_, *renderer_, input, {kSize, kSize});
    }
};

TEST_F(Shadows, PlateShadowFallsWhereTheLightPutsIt) {
    const render::GpuModel model = renderer_->upload(plateAboveFloor(kPlateCentre));
    const scene::View view = topView();
    const scene::Lighting lit = oneSpotLight(true), unshadowed = oneSpotLight(false);
    const render::HeadlessFrame withShadow = render(model, lit, std::span(&view, 1));
    const render::HeadlessFrame without = render(model, unshadowed, std::span(&view, 1));
    EXPECT_EQ(withShadow.stats.shadowMapRenders, 1u);
    EXPECT_EQ(without.stats.shadowMapRenders, 0u);
    const asset::Image& a = withShadow.views[0];
    const asset::Image& b = without.views[0];
    const GoldenResult golden = compareWithGolden(a, "shadow_plate");
    EXPECT_TRUE(golden.passed) << golden.message;

    // The shadow: pixels the shadow map darkened (the same frame without it is the reference).
    // The plate is flat and horizontal, so its shadow on the floor is the plate scaled about the light
    // by height ratio 3 / 1.5 = 2: a square of side 0.8 m centred on the ray through the plate's centre.
    const glm::vec3 predictedCentre = kLight + (kPlateCentre - kLight) * (kLight.y / (kLight.y - kPlateCentre.y));
    const glm::vec2 centrePixel = pixelOf(view, predictedCentre);
    const float sidePixels = pixelOf(view, predictedCentre + glm::vec3(2 * kPlateHalf, 0, 0)).x -
                             pixelOf(view, predictedCentre - glm::vec3(2 * kPlateHalf, 0, 0)).x;
    // Half the deepest darkening is the penumbra's middle, which is where the geometric edge lies.
    float deepest = 0.0f;
    for (uint32_t y = 0; y < kSize; ++y)
        for (uint32_t x = 0; x < kSize; ++x) deepest = std::max(deepest, luminance(b, x, y) - luminance(a, x, y));
    ASSERT_GT(deepest, 30.0f) << "no shadow";
    double sumX = 0, sumY = 0, count = 0;
    uint32_t minX = kSize, maxX = 0, minY = kSize, maxY = 0;
    for (uint32_t y = 0; y < kSize; ++y)
        for (uint32_t x = 0; x < kSize; ++x) {
            if (luminance(b, x, y) - luminance(a, x, y) < 0.5f * deepest) continue;
            sumX += x + 0.5;
            sumY += y + 0.5;
            ++count;
            minX = std::min(minX, x), maxX = std::max(maxX, x), minY = std::min(minY, y), maxY = std::max(maxY, y);
        }
    const glm::vec2 measured(sumX / count, sumY / count);
    std::printf("shadow centre predicted (%.1f, %.1f) px, measured (%.1f, %.1f) px; side predicted %.1f px, "
                "measured %u x %u px\n",
                centrePixel.x, centrePixel.y, measured.x, measured.y, sidePixels, maxX - minX + 1, maxY - minY + 1);
    EXPECT_LT(glm::distance(measured, centrePixel), 2.0f);
    EXPECT_NEAR(float(maxX - minX + 1), sidePixels, 4.0f);
    EXPECT_NEAR(float(maxY - minY + 1), sidePixels, 4.0f);
    // Nothing else darkens: no acne on the lit floor, no shadow of the plate on itself.
    EXPECT_NEAR(count, double(sidePixels * sidePixels), 0.12 * sidePixels * sidePixels);

}

TEST_F(Shadows, AStillFrameRendersNoShadowMapsInMonoOrStereo) {
    const render::GpuModel model = renderer_->upload(plateAboveFloor(kPlateCentre));
    const scene::View view = topView();
    const scene::Lighting lighting = oneSpotLight(true);
    EXPECT_EQ(render(model, lighting, std::span(&view, 1)).stats.shadowMapRenders, 1u);
    EXPECT_EQ(render(model, lighting, std::span(&view, 1)).stats.shadowMapRenders, 0u) << "nothing changed";
    // Both eyes read the maps the mono frame made: a stereo frame of the same scene renders none.
    const std::array<scene::View, 2> eyes = scene::stereoPair(view, 0.064f);
    EXPECT_EQ(render(model, lighting, eyes).stats.shadowMapRenders, 0u) << "stereo shares the maps";
    // A brighter light casts the same shadow.
    scene::Lighting brighter = lighting;
    brighter.spots[0].intensity *= 2.0f;
    EXPECT_EQ(render(model, brighter, std::span(&view, 1)).stats.shadowMapRenders, 0u) << "intensity only";

    // What the light sees changes: the plate moves, or the light turns.
    const render::GpuModel moved = renderer_->upload(plateAboveFloor(kPlateCentre + glm::vec3(0.1f, 0, 0)));
    EXPECT_EQ(render(moved, lighting, std::span(&view, 1)).stats.shadowMapRenders, 1u) << "the plate moved";
    scene::Lighting turned = lighting;
    turned.spots[0].direction = glm::normalize(turned.spots[0].direction + glm::vec3(0, 0, 0.05f));
    EXPECT_EQ(render(moved, turned, std::span(&view, 1)).stats.shadowMapRenders, 1u) << "the light turned";
    EXPECT_EQ(render(moved, turned, std::span(&view, 1)).stats.shadowMapRenders, 0u);
}

TEST_F(Shadows, OnlyTheBudgetCastsShadows) {
    const render::GpuModel model = renderer_->upload(plateAboveFloor(kPlateCentre));
    const scene::View view = topView();
    scene::Lighting lighting = oneSpotLight(true);
    for (int i = 1; i < 8; ++i) {
        scene::SpotLight spot = lighting.spots[0];
        spot.position.z += 0.1f * float(i);
        lighting.spots.push_back(spot);
    }
    EXPECT_EQ(render(model, lighting, std::span(&view, 1)).stats.shadowMapRenders, render::kMaxShadowedSpots);
    EXPECT_EQ(render(model, lighting, std::span(&view, 1)).stats.shadowMapRenders, 0u);
}

}  // namespace
}  // namespace vt::test
