#include "ui/imgui_layer.h"

#include <array>
#include <cmath>
#include <filesystem>

#include <imgui_impl_vulkan.h>

#include "core/log.h"
#include "ui/strings.h"

namespace vt::ui {
namespace {

void checkImGuiVk(VkResult result) {
    if (result != VK_SUCCESS) log::error("Dear ImGui Vulkan backend: VkResult {}", int(result));
}

bool isSrgb(VkFormat format) {
    return format == VK_FORMAT_B8G8R8A8_SRGB || format == VK_FORMAT_R8G8B8A8_SRGB || format == VK_FORMAT_A8B8G8R8_SRGB_PACK32;
}

// ImGui's colours are sRGB-encoded; an sRGB attachment encodes again on write, so decode first.
void linearizeVertexColors(ImDrawData* data) {
    static const auto table = [] {
        std::array<uint8_t, 256> t{};
        for (int i = 0; i < 256; ++i) {
            const float c = float(i) / 255.0f;
            const float linear = c <= 0.04045f ? c / 12.92f : std::pow((c + 0.055f) / 1.055f, 2.4f);
            t[size_t(i)] = uint8_t(std::lround(linear * 255.0f));
        }
        return t;
    }();
    for (int list = 0; list < data->CmdListsCount; ++list) {
        for (ImDrawVert& vertex : data->CmdLists[list]->VtxBuffer) {
            const ImU32 c = vertex.col;
            const ImU32 r = table[(c >> IM_COL32_R_SHIFT) & 0xFF], g = table[(c >> IM_COL32_G_SHIFT) & 0xFF],
                        b = table[(c >> IM_COL32_B_SHIFT) & 0xFF];
            vertex.col = (c & IM_COL32_A_MASK) | (r << IM_COL32_R_SHIFT) | (g << IM_COL32_G_SHIFT) | (b << IM_COL32_B_SHIFT);
        }
    }
}

}  // namespace

Result<std::unique_ptr<ImGuiLayer>> ImGuiLayer::create(gpu::Context& context, const ImGuiLayerOptions& options) {
    std::unique_ptr<ImGuiLayer> layer(new ImGuiLayer(context));
    layer->options_ = options;
    layer->fontPixels_ = options.fontPixels;
    layer->extraGlyphs_ = options.extraGlyphs;
    IMGUI_CHECKVERSION();
    layer->imgui_ = ImGui::CreateContext();
    ImGui::SetCurrentContext(layer->imgui_);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // panels open where the app puts them, every time
    ImGui::StyleColorsDark();
    if (auto loaded = layer->loadFont(); !loaded) return std::unexpected(loaded.error());

    // Descriptor sets for the font and any texture the app registers with ImGui_ImplVulkan_AddTexture.
    const VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 64};
    VkDescriptorPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    poolInfo.flags = VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT;
    poolInfo.maxSets = 64;
    poolInfo.poolSizeCount = 1;
    poolInfo.pPoolSizes = &size;
    VkDescriptorPool pool = VK_NULL_HANDLE;
    VK_CHECK(vkCreateDescriptorPool(context.device(), &poolInfo, nullptr, &pool));
    layer->pool_ = gpu::DescriptorPool(context, pool, "imgui descriptors");

    ImGui_ImplVulkan_InitInfo init{};
    init.Instance = context.instance();
    init.PhysicalDevice = context.physicalDevice();
    init.Device = context.device();
    init.QueueFamily = context.queueFamily();
    init.Queue = context.queue();
    init.DescriptorPool = pool;
    init.MinImageCount = std::max(2u, options.imageCount);
    init.ImageCount = init.MinImageCount;
    init.MSAASamples = VK_SAMPLE_COUNT_1_BIT;
    init.UseDynamicRendering = true;
    init.ColorAttachmentFormat = options.colorFormat;
    init.CheckVkResultFn = checkImGuiVk;
    if (!ImGui_ImplVulkan_Init(&init, VK_NULL_HANDLE)) return fail("Dear ImGui: the Vulkan backend did not start");
    layer->backendReady_ = true;
    return layer;
}

ImGuiLayer::~ImGuiLayer() {
    ImGui::SetCurrentContext(imgui_);
    if (backendReady_) {
        // The backend destroys its buffers and font image at once: the GPU must be done with them.
        context_.waitIdle();
        ImGui_ImplVulkan_Shutdown();
    }
    if (imgui_) ImGui::DestroyContext(imgui_);
}

Result<void> ImGuiLayer::loadFont() {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    std::error_code error;
    if (!std::filesystem::is_regular_file(options_.fontPath, error))
        return fail("{}: font not found (Debian package fonts-noto-cjk)", options_.fontPath);
    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(io.Fonts->GetGlyphRangesDefault());
    builder.AddRanges(io.Fonts->GetGlyphRangesChineseSimplifiedCommon());
    builder.AddText(allTranslations());
    builder.AddText("·—–“”‘’…×°±µ²³");
    builder.AddText(extraGlyphs_.c_str());
    glyphRanges_.clear();
    builder.BuildRanges(&glyphRanges_);
    ImFontConfig config;
    config.FontNo = kNotoCjkSimplifiedChineseFace;
    config.OversampleH = 1;  // CJK glyphs are dense; horizontal oversampling would quadruple the atlas
    config.OversampleV = 1;
    config.PixelSnapH = true;
    if (!io.Fonts->AddFontFromFileTTF(options_.fontPath.c_str(), fontPixels_, &config, glyphRanges_.Data))
        return fail("{}: could not load face {} as a font", options_.fontPath, kNotoCjkSimplifiedChineseFace);
    return {};
}

Result<void> ImGuiLayer::setFont(float fontPixels, const std::string& extraGlyphs) {
    if (std::abs(fontPixels - fontPixels_) < 0.01f && extraGlyphs == extraGlyphs_) return {};
    ImGui::SetCurrentContext(imgui_);
    context_.waitIdle();
    fontPixels_ = fontPixels;
    extraGlyphs_ = extraGlyphs;
    if (auto loaded = loadFont(); !loaded) return loaded;
    ImGui_ImplVulkan_CreateFontsTexture();
    return {};
}

void ImGuiLayer::beginFrame(VkExtent2D extent, float deltaSeconds) {
    ImGui::SetCurrentContext(imgui_);
    ImGuiIO& io = ImGui::GetIO();
    // A platform backend (imgui_impl_glfw) sets the display size and HiDPI scale and the clock itself.
    if (!io.BackendPlatformName) {
        io.DisplaySize = ImVec2(float(extent.width), float(extent.height));
        io.DeltaTime = deltaSeconds > 0.0f ? deltaSeconds : 1.0f / 60.0f;
    }
    ImGui_ImplVulkan_NewFrame();
    ImGui::NewFrame();
}

void ImGuiLayer::render(VkCommandBuffer commands, VkImageView view, VkExtent2D extent) {
    ImGui::SetCurrentContext(imgui_);
    ImGui::Render();
    ImDrawData* data = ImGui::GetDrawData();
    if (isSrgb(options_.colorFormat)) linearizeVertexColors(data);
    VkRenderingAttachmentInfo color{VK_STRUCTURE_TYPE_RENDERING_ATTACHMENT_INFO};
    color.imageView = view;
    color.imageLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
    color.loadOp = VK_ATTACHMENT_LOAD_OP_LOAD;
    color.storeOp = VK_ATTACHMENT_STORE_OP_STORE;
    VkRenderingInfo rendering{VK_STRUCTURE_TYPE_RENDERING_INFO};
    rendering.renderArea = {{0, 0}, extent};
    rendering.layerCount = 1;
    rendering.colorAttachmentCount = 1;
    rendering.pColorAttachments = &color;
    vkCmdBeginRendering(commands, &rendering);
    ImGui_ImplVulkan_RenderDrawData(data, commands);
    vkCmdEndRendering(commands);
}

}  // namespace vt::ui
