// Photos as model inputs for the tool (calibration): decoding with stb_image and a bilinear
// resize to the model's input size.
#ifndef ERT_TOOL_IMAGE_FILE_H_
#define ERT_TOOL_IMAGE_FILE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "ert/ert.hpp"

namespace ert::tool {

/// True for the extensions read_image decodes (.jpg, .jpeg, .png, .bmp, .ppm, .pgm, .tga).
bool is_image_path(const std::string& path);

/// Decodes `path` to `channels` (1 or 3) interleaved bytes per pixel, resizes it to
/// width x height (bilinear, half-pixel centres, the image stretched to fill) and writes
/// (byte - mean) / std as floats, row-major HWC. Errors name the file.
Status read_image(const std::string& path, int width, int height, int channels, float mean,
                  float std, std::vector<float>* out);

}  // namespace ert::tool

#endif  // ERT_TOOL_IMAGE_FILE_H_
