// Stand-in for CUDA's cuda_runtime_api.h, used by twin_check.cpp only when no CUDA toolkit headers are found:
// TensorRT's headers use nothing from it but these two handle types, which do not affect any layout checked there.
#pragma once
typedef struct CUstream_st* cudaStream_t;
typedef struct CUevent_st* cudaEvent_t;
