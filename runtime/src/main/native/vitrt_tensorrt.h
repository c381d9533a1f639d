// VitRT's native side of TensorRT: what the JavaCPP presets cannot do from Java.
//
// 1. TensorRT reports per-layer times to an nvinfer1::IProfiler through C++ virtual calls, and the presets do not
//    let Java implement IProfiler. LayerTimes does, and records each report; Java reads the records after the runs.
// 2. Objects made by TensorRT's factories (runtime, engine, context, builder, network, config, parser...) are freed
//    only by their virtual destructor; JavaCPP's close() on such a pointer frees nothing. destroyNoCopy and
//    destroyParser call that destructor.
//
// Neither needs TensorRT's headers, which no Maven artifact ships: the classes below are ABI twins of TensorRT 11's
// declarations (same virtual functions in the same order, same argument and return types). TensorRT's headers are
// the reference: src/test/native/twin_check.cpp calls these twins through TensorRT's own declarations (see
// TensorRtHeaderTwinTest), so a TensorRT that changes a layout fails that test, not a GPU run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vitrt {

// nvinfer1::InterfaceInfo: {kind, major, minor}, returned by value.
struct InterfaceInfoTwin {
    char const* kind;
    int32_t major;
    int32_t minor;
};

// nvinfer1::IVersionedInterface (NvInferRuntimeBase.h): getAPILanguage (APILanguage is an int32_t enum; 0 = kCPP),
// getInterfaceInfo, then the virtual destructor. TensorRT 11's IProfiler, ILogger, IProgressMonitor... derive from it.
class VersionedInterfaceTwin {
public:
    virtual int32_t getAPILanguage() const noexcept { return 0; }
    virtual InterfaceInfoTwin getInterfaceInfo() const noexcept = 0;
    virtual ~VersionedInterfaceTwin() noexcept = default;
};

// nvinfer1::v_1_0::IProfiler (NvInferRuntime.h): the versioned interface's slots, then reportLayerTime.
class ProfilerTwin : public VersionedInterfaceTwin {
public:
    InterfaceInfoTwin getInterfaceInfo() const noexcept override { return {"IProfiler", 1, 0}; }
    virtual void reportLayerTime(char const* layerName, float ms) noexcept = 0;
};

class LayerTimes : public ProfilerTwin {
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
    // what IExecutionContext::setProfiler takes: this object seen as its IProfiler base
    void* asProfiler() { return static_cast<ProfilerTwin*>(this); }
    // For tests without TensorRT: reports the way TensorRT does, a virtual call through the interface pointer.
    static void reportThroughInterface(void* profiler, char const* layerName, float ms) {
        static_cast<ProfilerTwin*>(profiler)->reportLayerTime(layerName, ms);
    }

private:
    std::vector<std::string> names;
    std::vector<float> times;
};

// nvinfer1::INoCopy (NvInferRuntime.h): its only virtual function is the destructor, so in every class derived from
// it (IRuntime, ICudaEngine, IExecutionContext, IBuilder, IBuilderConfig, INetworkDefinition, IHostMemory,
// ITimingCache, IEngineInspector) the deleting destructor is the vtable's second entry.
class NoCopyTwin {
public:
    virtual ~NoCopyTwin() = default;
};

// nvonnxparser::IParser (NvOnnxParser.h): six pure virtual functions, then the destructor.
class ParserTwin {
public:
    // never called: only their number and order matter
    virtual void parse() noexcept = 0;
    virtual void parseFromFile() noexcept = 0;
    virtual void supportsOperator() noexcept = 0;
    virtual void getNbErrors() noexcept = 0;
    virtual void getError() noexcept = 0;
    virtual void clearErrors() noexcept = 0;
    virtual ~ParserTwin() noexcept = default;
};

// Runs the virtual destructor of a TensorRT object derived from INoCopy, as `delete object` does in C++.
inline void destroyNoCopy(void* object) {
    delete static_cast<NoCopyTwin*>(object);
}

// Runs the virtual destructor of an nvonnxparser::IParser.
inline void destroyParser(void* object) {
    delete static_cast<ParserTwin*>(object);
}

// For tests without TensorRT: an object with a virtual destructor in INoCopy's place, counting destructions.
inline int& fakesDestroyed() {
    static int n = 0;
    return n;
}
class FakeNoCopy : public NoCopyTwin {
public:
    ~FakeNoCopy() override { fakesDestroyed()++; }
};
inline void* newFakeNoCopy() { return new FakeNoCopy(); }
inline int fakeNoCopyDestroyed() { return fakesDestroyed(); }

}  // namespace vitrt
