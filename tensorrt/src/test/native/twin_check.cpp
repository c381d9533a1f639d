// Checks VitRT's ABI twins (src/main/native/vitrt_tensorrt.h) against TensorRT's own headers: the twins are called
// the way TensorRT calls them, through TensorRT's declarations. Built and run by TensorRtHeaderTwinTest:
//   g++ -std=c++17 -I<TensorRT include> -I<CUDA include> -I<src/main/native> twin_check.cpp && ./a.out
// Prints one line per check and exits 0 when every twin matches.
#include <NvInferRuntime.h>
#include <NvInfer.h>
#include <NvOnnxParser.h>
#include <cstddef>
#include <cstdio>
#include <cstring>

#include "vitrt_tensorrt.h"

static int failures = 0;

static void expect(bool ok, char const* what) {
    std::printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    if (!ok) {
        failures++;
    }
}

// InterfaceInfo travels by value: the twin must have its size and layout.
static_assert(sizeof(vitrt::InterfaceInfoTwin) == sizeof(nvinfer1::InterfaceInfo), "InterfaceInfo size");
static_assert(offsetof(vitrt::InterfaceInfoTwin, major) == offsetof(nvinfer1::InterfaceInfo, major), "major");
static_assert(offsetof(vitrt::InterfaceInfoTwin, minor) == offsetof(nvinfer1::InterfaceInfo, minor), "minor");
static_assert(sizeof(nvinfer1::APILanguage) == sizeof(int32_t), "APILanguage is an int32_t enum");

// What an application-defined IProfiler answers, per TensorRT's header.
struct ReferenceProfiler : nvinfer1::IProfiler {
    void reportLayerTime(char const*, float) noexcept override {}
};

// Fakes of TensorRT's classes, as TensorRT's factories would make them: destroying one through VitRT's twin must run
// its destructor.
static int destroyed = 0;
template <typename T>
struct Fake : T {
    ~Fake() noexcept override { destroyed++; }
};

struct FakeParser : nvonnxparser::IParser {
    ~FakeParser() noexcept override { destroyed++; }
    bool parse(void const*, size_t, char const*) noexcept override { return false; }
    bool parseFromFile(char const*, int) noexcept override { return false; }
    bool supportsOperator(char const*) const noexcept override { return false; }
    int getNbErrors() const noexcept override { return 0; }
    nvonnxparser::IParserError const* getError(int) const noexcept override { return nullptr; }
    void clearErrors() noexcept override {}
    char const* const* getUsedVCPluginLibraries(int64_t&) const noexcept override { return nullptr; }
    void setFlags(nvonnxparser::OnnxParserFlags) noexcept override {}
    nvonnxparser::OnnxParserFlags getFlags() const noexcept override { return 0; }
    void clearFlag(nvonnxparser::OnnxParserFlag) noexcept override {}
    void setFlag(nvonnxparser::OnnxParserFlag) noexcept override {}
    bool getFlag(nvonnxparser::OnnxParserFlag) const noexcept override { return false; }
    nvinfer1::ITensor const* getLayerOutputTensor(char const*, int64_t) noexcept override { return nullptr; }
    bool supportsModelV2(void const*, size_t, char const*) noexcept override { return false; }
    int64_t getNbSubgraphs() noexcept override { return 0; }
    bool isSubgraphSupported(int64_t const) noexcept override { return false; }
    int64_t* getSubgraphNodes(int64_t const, int64_t&) noexcept override { return nullptr; }
    bool loadModelProto(void const*, size_t, char const*) noexcept override { return false; }
    bool loadInitializer(char const*, void const*, size_t) noexcept override { return false; }
    bool parseModelProto() noexcept override { return false; }
    bool setBuilderConfig(nvinfer1::IBuilderConfig const* const) noexcept override { return false; }
};

template <typename T>
static void checkNoCopy(char const* name) {
    int before = destroyed;
    T* object = new Fake<T>();
    vitrt::destroyNoCopy(static_cast<void*>(object));
    char what[160];
    std::snprintf(what, sizeof what, "destroyNoCopy runs the destructor of an nvinfer1::%s", name);
    expect(destroyed == before + 1, what);
}

int main() {
    std::printf("TensorRT headers %d.%d.%d\n", NV_TENSORRT_MAJOR, NV_TENSORRT_MINOR, NV_TENSORRT_PATCH);

    // IProfiler: TensorRT holds the twin as an nvinfer1::IProfiler* and calls it through that declaration
    vitrt::LayerTimes times;
    nvinfer1::IProfiler* profiler = static_cast<nvinfer1::IProfiler*>(times.asProfiler());
    profiler->reportLayerTime("stages.0.blocks.0.mhca/Conv", 0.125f);
    profiler->reportLayerTime("head/Gemm", 0.5f);
    expect(times.size() == 2 && std::strcmp(times.name(0), "stages.0.blocks.0.mhca/Conv") == 0
            && times.ms(0) == 0.125f && std::strcmp(times.name(1), "head/Gemm") == 0 && times.ms(1) == 0.5f,
        "IProfiler::reportLayerTime reaches LayerTimes");
    ReferenceProfiler reference;
    nvinfer1::InterfaceInfo want = static_cast<nvinfer1::IProfiler&>(reference).getInterfaceInfo();
    nvinfer1::InterfaceInfo got = profiler->getInterfaceInfo();
    expect(std::strcmp(got.kind, want.kind) == 0 && got.major == want.major && got.minor == want.minor,
        "IVersionedInterface::getInterfaceInfo answers what TensorRT's IProfiler answers");
    expect(profiler->getAPILanguage() == nvinfer1::APILanguage::kCPP, "IVersionedInterface::getAPILanguage is kCPP");
    expect(times.size() == 2, "no other call was taken for a layer report");

    // IProgressMonitor: TensorRT's builder holds the twin as an nvinfer1::IProgressMonitor* and calls it through that
    vitrt::BuildMonitor build;
    nvinfer1::IProgressMonitor* monitor = static_cast<nvinfer1::IProgressMonitor*>(build.asMonitor());
    monitor->phaseStart("Building engine", nullptr, 3);
    monitor->phaseStart("Tactic selection", "Building engine", 10);
    bool go = monitor->stepComplete("Tactic selection", 4);
    expect(go && build.describe() == "Building engine 0/3 > Tactic selection 5/10",
        "IProgressMonitor::phaseStart and stepComplete reach BuildMonitor");
    build.cancel();
    expect(!monitor->stepComplete("Tactic selection", 5), "IProgressMonitor::stepComplete answers false once cancelled");
    monitor->phaseFinish("Tactic selection");
    expect(build.describe() == "Building engine 0/3", "IProgressMonitor::phaseFinish reaches BuildMonitor");
    struct ReferenceMonitor : nvinfer1::IProgressMonitor {
        void phaseStart(char const*, char const*, int32_t) noexcept override {}
        bool stepComplete(char const*, int32_t) noexcept override { return true; }
        void phaseFinish(char const*) noexcept override {}
    } refMonitor;
    nvinfer1::InterfaceInfo wantMonitor = static_cast<nvinfer1::IProgressMonitor&>(refMonitor).getInterfaceInfo();
    nvinfer1::InterfaceInfo gotMonitor = monitor->getInterfaceInfo();
    expect(std::strcmp(gotMonitor.kind, wantMonitor.kind) == 0 && gotMonitor.major == wantMonitor.major
            && gotMonitor.minor == wantMonitor.minor,
        "IProgressMonitor's getInterfaceInfo answers what TensorRT's IProgressMonitor answers");

    checkNoCopy<nvinfer1::IRuntime>("IRuntime");
    checkNoCopy<nvinfer1::ICudaEngine>("ICudaEngine");
    checkNoCopy<nvinfer1::IExecutionContext>("IExecutionContext");
    checkNoCopy<nvinfer1::IEngineInspector>("IEngineInspector");
    checkNoCopy<nvinfer1::IHostMemory>("IHostMemory");
    checkNoCopy<nvinfer1::IBuilder>("IBuilder");
    checkNoCopy<nvinfer1::IBuilderConfig>("IBuilderConfig");
    checkNoCopy<nvinfer1::INetworkDefinition>("INetworkDefinition");
    checkNoCopy<nvinfer1::ITimingCache>("ITimingCache");

    int before = destroyed;
    nvonnxparser::IParser* parser = new FakeParser();
    vitrt::destroyParser(static_cast<void*>(parser));
    expect(destroyed == before + 1, "destroyParser runs the destructor of an nvonnxparser::IParser");

    std::printf("%s\n", failures == 0 ? "all twins match" : "twins do not match");
    return failures == 0 ? 0 : 1;
}
