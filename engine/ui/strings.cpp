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
