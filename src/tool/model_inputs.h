// Inputs for the subcommands that run a model (run, compare): seeded random values, or .npy
// files given as NAME=FILE.npy.
#ifndef ERT_TOOL_MODEL_INPUTS_H_
#define ERT_TOOL_MODEL_INPUTS_H_

#include <random>
#include <string>

#include "src/runtime/interpreter.h"

namespace ert::tool {

/// f32 inputs get uniform values in [-1, 1); every other type gets random bytes.
void fill_random(rt::Tensor& t, std::mt19937& rng);

/// Sets the input named by `spec` ("NAME=FILE.npy") from the file. A shape other than the
/// input's resizes the input, as TFLite's resize_tensor_input would; the dtype must match.
Status set_input_from_npy(rt::Interpreter& interp, const std::string& spec);

/// True when one of `specs` ("NAME=FILE.npy") names the tensor.
bool input_given(const std::vector<std::string>& specs, const rt::Tensor& t);

}  // namespace ert::tool

#endif  // ERT_TOOL_MODEL_INPUTS_H_
