#include "ui/strings.h"

#include <string>

namespace vt::ui {
namespace {

struct Entry {
    const char* en;
    const char* zh;
};

constexpr Entry kEntries[] = {
    {"Creator", "作者"},
    {"Date", "年代"},
    {"Culture", "文化"},
    {"Medium", "材质"},
    {"Dimensions", "尺寸"},
    {"Credit line", "来源"},
    {"Object number", "藏品编号"},
    {"Institution", "收藏机构"},
    {"License", "许可"},
    {"Source", "原始记录"},
    {"Object information", "藏品信息"},
    {"Settings", "设置"},
    {"Statistics", "统计"},
    {"Browse", "浏览"},
    {"Search", "搜索"},
    {"Tour", "导览"},
    {"Next", "下一站"},
    {"Previous", "上一站"},
    {"Pause", "暂停"},
    {"Play", "播放"},
    {"Paused", "已暂停"},
    {"Measure", "测量"},
    {"Annotations", "注释"},
    {"Language", "语言"},
    {"UI scale", "界面缩放"},
    {"Mouse sensitivity", "鼠标灵敏度"},
    {"Invert mouse", "反转鼠标"},
    {"Quality (pixel error)", "画质（像素误差）"},
    {"Memory budget (MiB)", "内存预算（MiB）"},
    {"Walk", "漫游"},
    {"Inspect", "细看"},
    {"Distance", "距离"},
    {"Stop", "站"},
    {"No results", "没有结果"},
    {"Could not open", "无法打开"},
    {"Title", "名称"},
    {"VSync", "垂直同步"},
    {"Problems", "问题"},
    {"Click an object to see its record.", "点击展品查看信息。"},
    {"Click two points on the object.", "在物体表面点击两点。"},
    // The hint line under the title, one per mode.
    {"WASD walk, drag (or Tab) to look, click an object, T tour, B browse, I info, M measure, F1 settings, F3 stats, F12 screenshot",
     "WASD 行走，拖动（或 Tab）环顾，点击展品，T 导览，B 浏览，I 信息，M 测量，F1 设置，F3 统计，F12 截图"},
    {"drag orbit, right-drag pan, wheel zoom, M measure, H annotations, Esc back to walking",
     "拖动旋转，右键拖动平移，滚轮缩放，M 测量，H 注释，Esc 返回漫游"},
    {"Right/N next, Left/P previous, Space pause, Esc leave the tour",
     "Right/N 下一站，Left/P 上一站，空格 暂停，Esc 退出导览"},
    // Statistics: std::format strings, the same values in the same order.
    {"frame {:.1f} ms ({:.0f} fps)", "帧 {:.1f} ms（{:.0f} fps）"},
    {"triangles {}", "三角形 {}"},
    {"resident {:.1f} MiB GPU, {:.1f} MiB cache", "常驻 显存 {:.1f} MiB，缓存 {:.1f} MiB"},
    {"pages {} resident, {} pending", "数据页 常驻 {}，待取 {}"},
    {"artifacts {} open, {} failed, {} total", "展品 已打开 {}，失败 {}，共 {}"},
    {"fetched {:.1f} MiB", "已下载 {:.1f} MiB"},
    {"fetched {:.1f} MiB, settled", "已下载 {:.1f} MiB，已就绪"},
};

}  // namespace

const char* tr(const char* key, std::string_view language) {
    if (language.substr(0, 2) != "zh") return key;
    for (const Entry& entry : kEntries)
        if (std::string_view(key) == entry.en) return entry.zh;
    return key;
}
const char* allTranslations() {
    static const std::string all = [] {
        std::string text;
        for (const Entry& entry : kEntries) text += entry.zh;
        return text;
    }();
    return all.c_str();
}

}  // namespace vt::ui
