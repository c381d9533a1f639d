// VitRT: collects TensorRT's per-layer times natively.
//
// TensorRT calls IExecutionContext's profiler through a C++ virtual call, and the JavaCPP presets
// (org.bytedeco:tensorrt:10.15-1.5.13) do not let Java subclass nvinfer1::IProfiler. So this tiny class does: it
// has nvinfer1::IProfiler's layout (TensorRT's interface classes keep a stable ABI: one pure virtual
// reportLayerTime(char const*, float) noexcept, then the virtual destructor) and records each report; Java reads
// the records after the runs. Declared here rather than included from NvInferRuntime.h so that it builds without
// TensorRT's headers, which no Maven artifact ships.
#pragma once

#include <string>
#include <vector>

namespace vitrt {

// ABI twin of nvinfer1::IProfiler (TensorRT 8-11).
class ProfilerInterface {
public:
    virtual void reportLayerTime(char const* layerName, float ms) noexcept = 0;
    virtual ~ProfilerInterface() noexcept {}
};

class LayerTimes : public ProfilerInterface {
public:
    void reportLayerTime(char const* layerName, float ms) noexcept override {
        try {
            names.emplace_back(layerName == nullptr ? "" : layerName);
            times.push_back(ms);
        } catch (...) {
            // out of memory: drop the record rather than let an exception cross into TensorRT
        }
    }
    int size() const { return (int) times.size(); }
    char const* name(int i) const { return names[i].c_str(); }
    float ms(int i) const { return times[i]; }
    void clear() { names.clear(); times.clear(); }
    // what TensorRT's setProfiler takes: this object seen as its IProfiler base
    void* asProfiler() { return static_cast<ProfilerInterface*>(this); }
    // For tests without TensorRT: reports the way TensorRT does, a virtual call through the interface pointer.
    static void reportThroughInterface(void* profiler, char const* layerName, float ms) {
        static_cast<ProfilerInterface*>(profiler)->reportLayerTime(layerName, ms);
    }

private:
    std::vector<std::string> names;
    std::vector<float> times;
};

}  // namespace vitrt
