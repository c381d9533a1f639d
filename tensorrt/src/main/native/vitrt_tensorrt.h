// VitRT's native side of TensorRT: what the JavaCPP presets cannot do from Java.
//
// 1. TensorRT reports per-layer times to an nvinfer1::IProfiler through C++ virtual calls, and the presets do not
//    let Java implement IProfiler. LayerTimes does, and records each report; Java reads the records after the runs.
//    BuildMonitor does the same for a build's nvinfer1::IProgressMonitor: it keeps the phases in progress, which Java
//    polls for a progress display, and answers TensorRT's stepComplete with "stop" once Java asks to cancel.
// 2. Objects made by TensorRT's factories (runtime, engine, context, builder, network, config, parser...) are freed
//    only by their virtual destructor; JavaCPP's close() on such a pointer frees nothing. destroyNoCopy and
//    destroyParser call that destructor.
//
// Neither needs TensorRT's headers, which no Maven artifact ships: the classes below are ABI twins of TensorRT 11's
// declarations (same virtual functions in the same order, same argument and return types). TensorRT's headers are
// the reference: src/test/native/twin_check.cpp calls these twins through TensorRT's own declarations (see
// TensorRtHeaderTwinTest), so a TensorRT that changes a layout fails that test, not a GPU run.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
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

// nvinfer1::v_1_0::IProgressMonitor (NvInfer.h): the versioned interface's slots, then phaseStart, stepComplete,
// phaseFinish.
class ProgressMonitorTwin : public VersionedInterfaceTwin {
public:
    InterfaceInfoTwin getInterfaceInfo() const noexcept override { return {"IProgressMonitor", 1, 0}; }
    virtual void phaseStart(char const* phaseName, char const* parentPhase, int32_t nbSteps) noexcept = 0;
    virtual bool stepComplete(char const* phaseName, int32_t step) noexcept = 0;
    virtual void phaseFinish(char const* phaseName) noexcept = 0;
};

// The phases of a build in progress, as TensorRT reports them (it may call from several threads).
class BuildMonitor : public ProgressMonitorTwin {
public:
    void phaseStart(char const* phaseName, char const* parentPhase, int32_t nbSteps) noexcept override {
        try {
            std::lock_guard<std::mutex> lock(mutex);
            phases.push_back({phaseName == nullptr ? "" : phaseName, nbSteps, 0});
        } catch (...) {
        }
    }
    bool stepComplete(char const* phaseName, int32_t step) noexcept override {
        try {
            std::lock_guard<std::mutex> lock(mutex);
            for (auto it = phases.rbegin(); it != phases.rend(); ++it) {
                if (phaseName != nullptr && it->name == phaseName) {
                    it->done = step + 1;
                    break;
                }
            }
        } catch (...) {
        }
        return !cancelled.load();
    }
    void phaseFinish(char const* phaseName) noexcept override {
        try {
            std::lock_guard<std::mutex> lock(mutex);
            for (auto it = phases.rbegin(); it != phases.rend(); ++it) {
                if (phaseName != nullptr && it->name == phaseName) {
                    phases.erase(std::next(it).base());
                    break;
                }
            }
        } catch (...) {
        }
    }
    // The phases in progress, outermost first: "Building engine 2/7 > Tactic selection 13/48".
    std::string describe() {
        std::lock_guard<std::mutex> lock(mutex);
        std::string out;
        for (auto const& p : phases) {
            out += (out.empty() ? "" : " > ") + p.name + " " + std::to_string(p.done) + "/" + std::to_string(p.steps);
        }
        return out;
    }
    // TensorRT stops the build at its next step.
    void cancel() { cancelled.store(true); }
    bool isCancelled() { return cancelled.load(); }
    // what IBuilderConfig::setProgressMonitor takes: this object seen as its IProgressMonitor base
    void* asMonitor() { return static_cast<ProgressMonitorTwin*>(this); }
    // For tests without TensorRT: calls made the way TensorRT makes them, through the interface pointer.
    static void startThroughInterface(void* monitor, char const* phase, char const* parent, int32_t steps) {
        static_cast<ProgressMonitorTwin*>(monitor)->phaseStart(phase, parent, steps);
    }
    static bool stepThroughInterface(void* monitor, char const* phase, int32_t step) {
        return static_cast<ProgressMonitorTwin*>(monitor)->stepComplete(phase, step);
    }
    static void finishThroughInterface(void* monitor, char const* phase) {
        static_cast<ProgressMonitorTwin*>(monitor)->phaseFinish(phase);
    }

private:
    struct Phase {
        std::string name;
        int32_t steps;
        int32_t done;
    };
    std::mutex mutex;
    std::vector<Phase> phases;
    std::atomic<bool> cancelled{false};
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
