// Shadows: a plate above a floor under one spot light, and under the key (directional) light with a
// ceiling above it. Each shadow must fall where the light's geometry puts it (measured in pixels, not
// only by the golden), the ceiling must not shadow the room, and a cached shadow map must not be
// re-rendered for a frame that changes nothing, mono or stereo. The quality switch turns each off.
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

// The plate and floor under a ceiling slab at 2.5-2.6 m, for the key light.
asset::Model plateUnderCeiling(glm::vec3 plateCentre) {
    asset::Model model = plateAboveFloor(plateCentre);
    asset::Mesh ceiling;
    addBox(ceiling, glm::vec3(0.5f, 2.55f, 0.0f), glm::vec3(3.0f, 0.05f, 3.0f));
    model.meshes.push_back(ceiling);
    return model;
}

const glm::vec3 kKeyDirection = glm::normalize(glm::vec3(0.3f, -1.0f, -0.2f));
const Bounds kRoom{{-2.5f, -0.1f, -3.0f}, {3.5f, 2.45f, 3.0f}};  // below the ceiling

scene::Lighting keyLightOnly(Bounds region = kRoom) {
    scene::Lighting lighting;
    lighting.sun.direction = kKeyDirection;
    lighting.sun.intensity = 2.0f;
    lighting.sun.shadowRegion = region;
    lighting.ambientIntensity = 0.25f;
    return lighting;
}

// Looking straight down from under the ceiling at where the plate's key light shadow falls.
scene::View keyView() {
    const glm::vec3 target = kPlateCentre + kKeyDirection * (kPlateCentre.y / -kKeyDirection.y);
    scene::View view;
    view.position = glm::vec3(target.x, 2.3f, target.z);
    view.viewFromWorld = glm::lookAtRH(view.position, target, glm::vec3(0.0f, 0.0f, -1.0f));
    view.clipFromView = scene::perspectiveReversedZ(glm::radians(50.0f), 1.0f, 0.1f);
    return view;
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

// The shadow: pixels the shadow map darkened (`unshadowed`, the same frame without it, is the
// reference). Half the deepest darkening is the penumbra's middle, which is where the geometric edge
// lies: it must be a square of `side` metres centred on `centre` on the floor, and nothing else may
// darken (no acne on the lit floor, no shadow of the plate on itself).
void expectSquareShadow(const scene::View& view, const asset::Image& shadowed, const asset::Image& unshadowed,
                        glm::vec3 centre, float side) {
    const glm::vec2 centrePixel = pixelOf(view, centre);
    const float sidePixels = pixelOf(view, centre + glm::vec3(side * 0.5f, 0, 0)).x -
                             pixelOf(view, centre - glm::vec3(side * 0.5f, 0, 0)).x;
    float deepest = 0.0f;
    for (uint32_t y = 0; y < kSize; ++y)
        for (uint32_t x = 0; x < kSize; ++x)
            deepest = std::max(deepest, luminance(unshadowed, x, y) - luminance(shadowed, x, y));
    ASSERT_GT(deepest, 30.0f) << "no shadow";
    double sumX = 0, sumY = 0, count = 0;
    uint32_t minX = kSize, maxX = 0, minY = kSize, maxY = 0;
    for (uint32_t y = 0; y < kSize; ++y)
        for (uint32_t x = 0; x < kSize; ++x) {
            if (luminance(unshadowed, x, y) - luminance(shadowed, x, y) < 0.5f * deepest) continue;
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
    EXPECT_NEAR(count, double(sidePixels * sidePixels), 0.12 * sidePixels * sidePixels);
}

class Shadows : public GpuTest {
protected:
    render::HeadlessFrame render(const render::GpuModel& model, const scene::Lighting& lighting,
                                 std::span<const scene::View> views) {
        const render::DrawItem item{&model, glm::mat4(1.0f)};
        const render::FrameInput input{views, std::span(&item, 1), {}, &lighting};
        return render::renderHeadless(*context_, *renderer_, input, {kSize, kSize});
    }
    // The same with one feature's quality changed for this frame only.
    render::HeadlessFrame renderAt(render::Quality render::QualitySettings::*feature, render::Quality quality,
                                   const render::GpuModel& model, const scene::Lighting& lighting,
                                   std::span<const scene::View> views) {
        const render::QualitySettings before = renderer_->quality();
        render::QualitySettings changed = before;
        changed.*feature = quality;
        renderer_->setQuality(changed);
        render::HeadlessFrame frame = render(model, lighting, views);
        renderer_->setQuality(before);
        return frame;
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

    // The plate is flat and horizontal, so its shadow on the floor is the plate scaled about the light
    // by height ratio 3 / 1.5 = 2: a square of side 0.8 m centred on the ray through the plate's centre.
    const glm::vec3 predictedCentre = kLight + (kPlateCentre - kLight) * (kLight.y / (kLight.y - kPlateCentre.y));
    expectSquareShadow(view, a, b, predictedCentre, 2 * kPlateHalf * 2);
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

// The key light is directional: the plate's shadow is the plate itself (0.4 m), moved along the light
// to the floor. The ceiling above lies outside the shadow region, so it shadows nothing.
TEST_F(Shadows, KeyLightShadowFallsAlongTheLightAndTheCeilingCastsNone) {
    const render::GpuModel model = renderer_->upload(plateUnderCeiling(kPlateCentre));
    const scene::View view = keyView();
    const scene::Lighting lighting = keyLightOnly();
    const render::HeadlessFrame withShadow = render(model, lighting, std::span(&view, 1));
    EXPECT_EQ(withShadow.stats.keyShadowRenders, 1u);
    const render::HeadlessFrame without =
        renderAt(&render::QualitySettings::keyShadow, render::Quality::Off, model, lighting, std::span(&view, 1));
    EXPECT_EQ(without.stats.keyShadowRenders, 0u) << "off renders nothing";
    const GoldenResult golden = compareWithGolden(withShadow.views[0], "key_shadow_plate");
    EXPECT_TRUE(golden.passed) << golden.message;
    const glm::vec3 predictedCentre = kPlateCentre + kKeyDirection * (kPlateCentre.y / -kKeyDirection.y);
    expectSquareShadow(view, withShadow.views[0], without.views[0], predictedCentre, 2 * kPlateHalf);

    // Low quality: the same shadow, one filtered tap per lookup.
    const render::HeadlessFrame cheap =
        renderAt(&render::QualitySettings::keyShadow, render::Quality::Low, model, lighting, std::span(&view, 1));
    EXPECT_EQ(cheap.stats.keyShadowRenders, 0u) << "quality changes the lookups, not the map";
    expectSquareShadow(view, cheap.views[0], without.views[0], predictedCentre, 2 * kPlateHalf);
}

TEST_F(Shadows, KeyLightMapIsCachedWhileTheEyeWalksTheRoom) {
    const render::GpuModel model = renderer_->upload(plateUnderCeiling(kPlateCentre));
    scene::View view = keyView();
    const scene::Lighting lighting = keyLightOnly();
    EXPECT_EQ(render(model, lighting, std::span(&view, 1)).stats.keyShadowRenders, 1u);
    EXPECT_EQ(render(model, lighting, std::span(&view, 1)).stats.keyShadowRenders, 0u) << "nothing changed";
    const std::array<scene::View, 2> eyes = scene::stereoPair(view, 0.064f);
    EXPECT_EQ(render(model, lighting, eyes).stats.keyShadowRenders, 0u) << "stereo shares the map";
    view.position += glm::vec3(0.7f, -0.4f, 0.3f);
    view.viewFromWorld = glm::lookAtRH(view.position, glm::vec3(0.0f), glm::vec3(0.0f, 1.0f, 0.0f));
    EXPECT_EQ(render(model, lighting, std::span(&view, 1)).stats.keyShadowRenders, 0u) << "the eye moved in the room";
    scene::Lighting brighter = lighting;
    brighter.sun.intensity *= 2.0f;
    EXPECT_EQ(render(model, brighter, std::span(&view, 1)).stats.keyShadowRenders, 0u) << "intensity only";

    const render::GpuModel moved = renderer_->upload(plateUnderCeiling(kPlateCentre + glm::vec3(0.1f, 0, 0)));
    EXPECT_EQ(render(moved, lighting, std::span(&view, 1)).stats.keyShadowRenders, 1u) << "the plate moved";
    scene::Lighting turned = lighting;
    turned.sun.direction = glm::normalize(turned.sun.direction + glm::vec3(0, 0, 0.05f));
    EXPECT_EQ(render(moved, turned, std::span(&view, 1)).stats.keyShadowRenders, 1u) << "the light turned";
    EXPECT_EQ(render(moved, keyLightOnly(Bounds{}), std::span(&view, 1)).stats.keyShadowRenders, 0u)
        << "no region, no shadow";
}

// Contact shadows: a box standing on the floor under a low key light that has no shadow map (no
// region), so only the screen-space march can ground it. The floor just beyond the box, away from
// the light, darkens; the floor farther out than the march and the box's own lit faces do not.
TEST_F(Shadows, ContactShadowGroundsABoxWithoutAShadowMap) {
    asset::Model model = plateAboveFloor(glm::vec3(100.0f));  // the plate far out of view
    asset::Mesh box;
    addBox(box, glm::vec3(0.0f, 0.2f, 0.0f), glm::vec3(0.2f));
    box.material = 1;
    model.meshes.push_back(box);
    const render::GpuModel gpu = renderer_->upload(model);
    scene::Lighting lighting = keyLightOnly(Bounds{});
    lighting.sun.direction = glm::normalize(glm::vec3(0.6f, -0.5f, 0.0f));
    scene::View view;
    view.position = glm::vec3(1.6f, 1.4f, 0.9f);
    view.viewFromWorld = glm::lookAtRH(view.position, glm::vec3(0.3f, 0.0f, 0.0f), glm::vec3(0.0f, 1.0f, 0.0f));
    view.clipFromView = scene::perspectiveReversedZ(glm::radians(50.0f), 1.0f, 0.1f);

    const render::HeadlessFrame contact = render(gpu, lighting, std::span(&view, 1));
    const render::HeadlessFrame cheap =
        renderAt(&render::QualitySettings::contactShadows, render::Quality::Low, gpu, lighting, std::span(&view, 1));
    const render::HeadlessFrame without =
        renderAt(&render::QualitySettings::contactShadows, render::Quality::Off, gpu, lighting, std::span(&view, 1));
    EXPECT_EQ(contact.stats.shadowMapRenders + contact.stats.keyShadowRenders, 0u) << "no shadow map at all";
    const GoldenResult golden = compareWithGolden(contact.views[0], "contact_shadow_box");
    EXPECT_TRUE(golden.passed) << golden.message;

    // Darkening on the floor at `metres` beyond the box's face away from the light (x = 0.2), mean of a
    // few pixels along the face.
    auto darkening = [&](const asset::Image& image, float metres) {
        float sum = 0.0f;
        int count = 0;
        for (float z = -0.1f; z <= 0.1f; z += 0.05f) {
            const glm::vec2 p = pixelOf(view, glm::vec3(0.2f + metres, 0.0f, z));
            const uint32_t x = uint32_t(p.x), y = uint32_t(p.y);
            sum += luminance(without.views[0], x, y) - luminance(image, x, y);
            ++count;
        }
        return sum / float(count);
    };
    // The march is 3% of the view distance (about 6 cm here): along the light, 4.5 cm of floor.
    std::printf("contact darkening at 1 / 2.5 / 15 cm: high %.1f / %.1f / %.1f, low %.1f / %.1f / %.1f levels\n",
                darkening(contact.views[0], 0.01f), darkening(contact.views[0], 0.025f),
                darkening(contact.views[0], 0.15f), darkening(cheap.views[0], 0.01f),
                darkening(cheap.views[0], 0.025f), darkening(cheap.views[0], 0.15f));
    EXPECT_GT(darkening(contact.views[0], 0.01f), 25.0f) << "the box's foot is grounded";
    EXPECT_GT(darkening(cheap.views[0], 0.01f), 25.0f) << "low quality grounds it too";
    EXPECT_NEAR(darkening(contact.views[0], 0.15f), 0.0f, 1.0f) << "nothing beyond the march";
    // The lit top and the face toward the light: no self-shadowing.
    for (const glm::vec3 lit : {glm::vec3(0.0f, 0.4f, 0.0f), glm::vec3(0.1f, 0.4f, 0.1f)}) {
        const glm::vec2 p = pixelOf(view, lit);
        EXPECT_NEAR(luminance(contact.views[0], uint32_t(p.x), uint32_t(p.y)),
                    luminance(without.views[0], uint32_t(p.x), uint32_t(p.y)), 2.0f);
    }
}

}  // namespace
}  // namespace vt::test
