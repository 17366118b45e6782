#include "xr/panels.h"

#include <cstring>
#include <format>

#include <imgui.h>

#include "core/log.h"
#include "render/gpu_model.h"
#include "ui/label_panel.h"
#include "ui/strings.h"

namespace vt::xr {

namespace {

constexpr float kFontPixels = 22.0f;  // panel text size: 22 px on a 560 px, 48 cm panel reads at arm's length

// Every label and annotation text of the exhibit, so the font atlas has their characters.
std::string exhibitText(const exhibit::Exhibit& exhibit) {
    std::string text;
    auto add = [&](const exhibit::LocalizedText& localized) {
        for (const auto& [language, value] : localized.byLanguage) text += value;
    };
    for (const exhibit::Artifact& artifact : exhibit.artifacts) {
        const exhibit::Label& l = artifact.label;
        for (const auto* t : {&l.title, &l.creator, &l.date, &l.culture, &l.medium, &l.dimensions, &l.description,
                              &l.creditLine})
            add(*t);
        for (const exhibit::Annotation& a : artifact.annotations) add(a.text);
    }
    for (const exhibit::TourStop& stop : exhibit.tour.stops) {
        add(stop.title);
        add(stop.text);
    }
    return text;
}

}  // namespace

Result<std::unique_ptr<Panels>> Panels::create(gpu::Context& context, render::Renderer& renderer, XrInstance instance,
                                               XrSession session, XrSystemId system, const exhibit::Exhibit& exhibit,
                                               std::optional<Mode> forced) {
    std::unique_ptr<Panels> panels(new Panels(context));
    panels->exhibit_ = &exhibit;
    panels->instance_ = instance;
    ui::ImGuiLayerOptions options;
    options.colorFormat = VK_FORMAT_R8G8B8A8_SRGB;
    options.fontPixels = kFontPixels;
    options.extraGlyphs = exhibitText(exhibit);
    auto layer = ui::ImGuiLayer::create(context, options);
    if (!layer) return std::unexpected(layer.error());
    panels->imgui_ = std::move(*layer);

    // Quad layers are core OpenXR; they need room for a second layer next to the projection.
    XrSystemProperties properties{XR_TYPE_SYSTEM_PROPERTIES};
    XR_CHECK(instance, xrGetSystemProperties(instance, system, &properties));
    panels->mode_ = forced ? *forced : properties.graphicsProperties.maxLayerCount >= 2 ? Mode::Quad : Mode::Scene;

    if (panels->mode_ == Mode::Quad) {
        if (auto ok = panels->createQuadSwapchain(session); !ok) return std::unexpected(ok.error());
    } else {
        panels->createSceneQuad(renderer);
    }
    return panels;
}

// Quad mode: the panel's own swapchain, which the compositor samples.
Result<void> Panels::createQuadSwapchain(XrSession session) {
    XrSwapchainCreateInfo info{XR_TYPE_SWAPCHAIN_CREATE_INFO};
    info.usageFlags = XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT | XR_SWAPCHAIN_USAGE_TRANSFER_DST_BIT;
    info.format = VK_FORMAT_R8G8B8A8_SRGB;
    info.sampleCount = 1;
    info.width = extent_.width;
    info.height = extent_.height;
    info.faceCount = 1;
    info.arraySize = 1;
    info.mipCount = 1;
    if (XrResult r = xrCreateSwapchain(session, &info, &swapchain_); XR_FAILED(r))
        return fail("panel swapchain: {}", resultName(instance_, r));
    uint32_t count = 0;
    XR_CHECK(instance_, xrEnumerateSwapchainImages(swapchain_, 0, &count, nullptr));
    std::vector<XrSwapchainImageVulkan2KHR> images(count, {XR_TYPE_SWAPCHAIN_IMAGE_VULKAN2_KHR});
    XR_CHECK(instance_, xrEnumerateSwapchainImages(swapchain_, count, &count,
                                                   reinterpret_cast<XrSwapchainImageBaseHeader*>(images.data())));
    for (const auto& image : images) {
        images_.push_back(image.image);
        VkImageViewCreateInfo viewInfo{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
        viewInfo.image = image.image;
        viewInfo.viewType = VK_IMAGE_VIEW_TYPE_2D;
        viewInfo.format = VK_FORMAT_R8G8B8A8_SRGB;
        viewInfo.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
        VkImageView view = VK_NULL_HANDLE;
        VK_CHECK(vkCreateImageView(context_.device(), &viewInfo, nullptr, &view));
        views_.emplace_back(context_, view, "xr panel view");
    }
    return {};
}

// Scene mode: an image the renderer samples on an emissive quad of the panel's size.
void Panels::createSceneQuad(render::Renderer& renderer) {
    image_ = gpu::Image(context_,
                        {VK_FORMAT_R8G8B8A8_SRGB, extent_, 1, 1, VK_SAMPLE_COUNT_1_BIT,
                         VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT},
                        "xr panel");
    // Emissive only: the text shows at the same brightness under any gallery light.
    asset::Material material;
    material.name = "xr panel";
    material.baseColorFactor = {0.0f, 0.0f, 0.0f, 1.0f};
    material.emissiveFactor = {1.0f, 1.0f, 1.0f};
    material.emissiveTexture = 0;
    material.metallicFactor = 0.0f;
    material.roughnessFactor = 1.0f;
    material.doubleSided = true;
    render::MaterialTextures textures;
    textures.srgbViews = {image_.view()};
    textures.linearViews = {image_.view()};
    textures.twoChannelNormals = {false};
    material_ = renderer.createMaterials(std::span(&material, 1), textures, "xr panel");
    // A quad in the panel's frame: x right, y up, facing +Z; texcoord (0,0) at the top left.
    const float w = sizeMetres_.x * 0.5f, h = sizeMetres_.y * 0.5f;
    const glm::vec3 n{0.0f, 0.0f, 1.0f};
    const glm::vec4 white{1.0f}, noTangent{0.0f};
    const render::GpuVertex vertices[4] = {{{-w, h, 0.0f}, n, {0.0f, 0.0f}, white, noTangent},
                                           {{-w, -h, 0.0f}, n, {0.0f, 1.0f}, white, noTangent},
                                           {{w, -h, 0.0f}, n, {1.0f, 1.0f}, white, noTangent},
                                           {{w, h, 0.0f}, n, {1.0f, 0.0f}, white, noTangent}};
    const uint32_t indices[6] = {0, 1, 2, 0, 2, 3};
    vertices_ = gpu::uploadBuffer(context_, std::as_bytes(std::span(vertices)), VK_BUFFER_USAGE_VERTEX_BUFFER_BIT,
                                  "xr panel vertices");
    indices_ = gpu::uploadBuffer(context_, std::as_bytes(std::span(indices)), VK_BUFFER_USAGE_INDEX_BUFFER_BIT,
                                 "xr panel indices");
}

Panels::~Panels() { destroyXr(); }

void Panels::destroyXr() {
    views_.clear();
    if (swapchain_) {
        context_.waitIdle();
        xrDestroySwapchain(std::exchange(swapchain_, XR_NULL_HANDLE));
    }
}

void Panels::update(const Interaction& interaction, const glm::vec3& headWorld, float dtSeconds) {
    (void)dtSeconds;
    PanelContent content = interaction.panelContent();
    if (content != shown_ || interaction.language() != shownLanguage_) {
        // Placed once when opened (a panel that follows the head is uncomfortable to read). A tour
        // stop moves the visitor first, so its panel is placed a frame later. A new caption at the
        // same stop is drawn where the panel already is.
        const bool place = !content.samePlace(shown_) || interaction.language() != shownLanguage_;
        shown_ = std::move(content);
        shownLanguage_ = interaction.language();
        dirty_ = !shown_.empty();
        drawnOnce_ = drawnOnce_ && !shown_.empty();
        if (!shown_.empty() && place) placePending_ = true;
    }
    if (placePending_ && interaction.tourSettled()) {
        worldFromPanel_ = interaction.panelWorldPose(headWorld);
        placePending_ = false;
    }
}

void Panels::build(const exhibit::Label* label, const std::string& heading, const std::string& text,
                   const std::string& language, std::optional<bool> tourPaused) {
    imgui_->beginFrame(extent_, 1.0f / 60.0f);
    ImGui::SetNextWindowPos({0.0f, 0.0f});
    ImGui::SetNextWindowSize({float(extent_.width), float(extent_.height)});
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, {18.0f, 16.0f});
    ImGui::PushStyleColor(ImGuiCol_WindowBg, IM_COL32(24, 24, 28, 255));
    ImGui::Begin("panel", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoInputs);
    if (label) {
        ui::drawLabelPanel(*label, language);
    } else {
        ImGui::SetWindowFontScale(1.2f);
        ImGui::TextWrapped("%s", heading.c_str());
        ImGui::SetWindowFontScale(1.0f);
        ImGui::Separator();
        ImGui::TextWrapped("%s", text.c_str());
    }
    if (tourPaused) {
        // The tour's controls along the bottom, one per third of the panel's width: pointing at a third
        // and selecting is that control (Interaction: panelCommand).
        const float width = float(extent_.width), height = float(extent_.height);
        const float row = kFontPixels * 2.0f, top = height - row - 14.0f;
        if (*tourPaused) {
            const char* paused = ui::tr("Paused", language);
            ImGui::SetCursorPos({(width - ImGui::CalcTextSize(paused).x) * 0.5f, top - kFontPixels - 12.0f});
            ImGui::TextColored({1.0f, 0.78f, 0.35f, 1.0f}, "%s", paused);
        }
        const std::string labels[3] = {std::string("< ") + ui::tr("Previous", language),
                                       ui::tr(*tourPaused ? "Play" : "Pause", language),
                                       ui::tr("Next", language) + std::string(" >")};
        ImDrawList* draw = ImGui::GetWindowDrawList();
        const ImVec2 origin = ImGui::GetWindowPos();
        for (int i = 0; i < 3; ++i) {
            const float left = width * float(i) / 3.0f + 8.0f, right = width * float(i + 1) / 3.0f - 8.0f;
            draw->AddRectFilled({origin.x + left, origin.y + top}, {origin.x + right, origin.y + top + row},
                                IM_COL32(58, 58, 66, 255), 6.0f);
            const ImVec2 size = ImGui::CalcTextSize(labels[i].c_str());
            ImGui::SetCursorPos({(left + right - size.x) * 0.5f, top + (row - size.y) * 0.5f});
            ImGui::TextUnformatted(labels[i].c_str());
        }
    }
    ImGui::End();
    ImGui::PopStyleColor();
    ImGui::PopStyleVar(2);
}

bool Panels::record(VkCommandBuffer commands) {
    if (!dirty_ || shown_.empty()) return true;
    const auto& artifacts = exhibit_->artifacts;
    if (shown_.text) {
        if (shown_.text->artifact >= artifacts.size()) return true;
        const exhibit::Artifact& artifact = artifacts[shown_.text->artifact];
        if (shown_.text->annotation >= 0 && size_t(shown_.text->annotation) < artifact.annotations.size())
            build(nullptr, artifact.label.title.get(shownLanguage_),
                  artifact.annotations[size_t(shown_.text->annotation)].text.get(shownLanguage_), shownLanguage_);
        else
            build(&artifact.label, {}, {}, shownLanguage_);
    } else {
        const auto& stops = exhibit_->tour.stops;
        if (size_t(shown_.tourStop) >= stops.size()) return true;
        const exhibit::TourStop& stop = stops[size_t(shown_.tourStop)];
        // The caption cue of the narration's position (tour::StopNarration), not the whole text.
        build(nullptr, std::format("{} ({}/{})", stop.title.get(shownLanguage_), shown_.tourStop + 1, stops.size()),
              shown_.caption, shownLanguage_, shown_.paused);
    }

    VkImage image = VK_NULL_HANDLE;
    VkImageView view = VK_NULL_HANDLE;
    VkImageLayout before = VK_IMAGE_LAYOUT_UNDEFINED;
    VkPipelineStageFlags2 beforeStage = VK_PIPELINE_STAGE_2_NONE;
    if (mode_ == Mode::Quad) {
        uint32_t index = 0;
        XrSwapchainImageAcquireInfo acquireInfo{XR_TYPE_SWAPCHAIN_IMAGE_ACQUIRE_INFO};
        XrResult r = xrAcquireSwapchainImage(swapchain_, &acquireInfo, &index);
        if (isLoss(r)) return false;
        XR_CHECK_RESULT(instance_, r, "xrAcquireSwapchainImage");
        XrSwapchainImageWaitInfo waitInfo{XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO};
        waitInfo.timeout = 1'000'000'000;
        r = xrWaitSwapchainImage(swapchain_, &waitInfo);
        if (isLoss(r) || r == XR_TIMEOUT_EXPIRED) return false;
        XR_CHECK_RESULT(instance_, r, "xrWaitSwapchainImage");
        acquired_ = true;
        image = images_[index];
        view = views_[index].get();
        before = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;  // how the runtime hands colour images over
        beforeStage = VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT;
    } else {
        image = image_.handle();
        view = image_.view();
        before = drawnOnce_ ? VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL : VK_IMAGE_LAYOUT_UNDEFINED;
        beforeStage = VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT;
    }
    // Clear (the ImGui pass loads), draw the panel, hand it on.
    gpu::transition(commands, {image, VK_IMAGE_ASPECT_COLOR_BIT, before, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                               beforeStage, VK_ACCESS_2_NONE, VK_PIPELINE_STAGE_2_CLEAR_BIT,
                               VK_ACCESS_2_TRANSFER_WRITE_BIT});
    const VkClearColorValue clear{{0.0f, 0.0f, 0.0f, 0.0f}};
    const VkImageSubresourceRange range{VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
    vkCmdClearColorImage(commands, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, &clear, 1, &range);
    gpu::transition(commands, {image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                               VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, VK_PIPELINE_STAGE_2_CLEAR_BIT,
                               VK_ACCESS_2_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT,
                               VK_ACCESS_2_COLOR_ATTACHMENT_READ_BIT | VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT});
    imgui_->render(commands, view, extent_);
    if (mode_ == Mode::Scene)
        gpu::transition(commands, {image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                                   VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL,
                                   VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT,
                                   VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT, VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT,
                                   VK_ACCESS_2_SHADER_SAMPLED_READ_BIT});
    dirty_ = false;
    drawnOnce_ = true;
    return true;
}

bool Panels::afterSubmit() {
    if (!acquired_) return true;
    acquired_ = false;
    XrSwapchainImageReleaseInfo releaseInfo{XR_TYPE_SWAPCHAIN_IMAGE_RELEASE_INFO};
    const XrResult r = xrReleaseSwapchainImage(swapchain_, &releaseInfo);
    if (isLoss(r)) return false;
    XR_CHECK_RESULT(instance_, r, "xrReleaseSwapchainImage");
    return true;
}

void Panels::appendDraws(std::vector<render::ClusterDraw>& draws) const {
    if (mode_ != Mode::Scene || shown_.empty() || !drawnOnce_ || placePending_) return;
    render::ClusterDraw draw;
    draw.vertices = vertices_.handle();
    draw.indices = indices_.handle();
    draw.firstIndex = 0;
    draw.indexCount = 6;
    draw.material = &material_.materials[0];
    draw.hasTexcoords = true;
    draw.worldFromModel = worldFromPanel_;
    draws.push_back(draw);
}

void Panels::appendLayers(XrSpace space, const glm::mat4& worldFromTracking,
                          std::vector<const XrCompositionLayerBaseHeader*>& layers) {
    if (mode_ != Mode::Quad || shown_.empty() || !drawnOnce_ || placePending_) return;
    const glm::mat4 trackingFromPanel = glm::inverse(worldFromTracking) * worldFromPanel_;
    const glm::quat orientation = glm::quat_cast(glm::mat3(trackingFromPanel));
    quad_ = {XR_TYPE_COMPOSITION_LAYER_QUAD};
    quad_.layerFlags = XR_COMPOSITION_LAYER_BLEND_TEXTURE_SOURCE_ALPHA_BIT;
    quad_.space = space;
    quad_.eyeVisibility = XR_EYE_VISIBILITY_BOTH;
    quad_.subImage.swapchain = swapchain_;
    quad_.subImage.imageRect = {{0, 0}, {int32_t(extent_.width), int32_t(extent_.height)}};
    quad_.pose.orientation = {orientation.x, orientation.y, orientation.z, orientation.w};
    quad_.pose.position = {trackingFromPanel[3].x, trackingFromPanel[3].y, trackingFromPanel[3].z};
    quad_.size = {sizeMetres_.x, sizeMetres_.y};
    layers.push_back(reinterpret_cast<const XrCompositionLayerBaseHeader*>(&quad_));
}

}  // namespace vt::xr
