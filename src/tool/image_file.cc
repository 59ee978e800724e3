// Image decoding (stb_image from Debian's libstb-dev, implementation compiled here) and resize.
#include "src/tool/image_file.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <memory>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wdouble-promotion"
#pragma GCC diagnostic ignored "-Wcast-qual"
#define STB_IMAGE_IMPLEMENTATION
#define STBI_NO_GIF
#define STBI_NO_PSD
#define STBI_NO_PIC
#define STBI_NO_HDR
#define STBI_NO_STDIO_WARNINGS
#include <stb/stb_image.h>
#pragma GCC diagnostic pop

#include "src/runtime/status.h"

namespace ert::tool {

bool is_image_path(const std::string& path) {
  const size_t dot = path.find_last_of('.');
  if (dot == std::string::npos) return false;
  std::string ext = path.substr(dot + 1);
  for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
  return ext == "jpg" || ext == "jpeg" || ext == "png" || ext == "bmp" || ext == "ppm" ||
         ext == "pgm" || ext == "tga";
}

Status read_image(const std::string& path, int width, int height, int channels, float mean,
                  float std, std::vector<float>* out) {
  if (channels != 1 && channels != 3) {
    return rt::make_status(ERT_INVALID_ARGUMENT, "%s: an input of %d channels cannot take a photo",
                           path.c_str(), channels);
  }
  if (width <= 0 || height <= 0 || std == 0.0f) {
    return rt::make_status(ERT_INVALID_ARGUMENT, "%s: bad target size %dx%d or std 0", path.c_str(),
                           width, height);
  }
  int w = 0, h = 0, n = 0;
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(stbi_load(path.c_str(), &w, &h, &n, channels),
                                                   stbi_image_free);
  if (!pixels) {
    return rt::make_status(ERT_IO_ERROR, "%s: cannot decode the image (%s)", path.c_str(),
                           stbi_failure_reason());
  }
  // Bilinear with half-pixel centres: output pixel x samples source (x + 0.5) * w / width - 0.5.
  out->resize(size_t(width) * size_t(height) * size_t(channels));
  const float sx = float(w) / float(width);
  const float sy = float(h) / float(height);
  for (int y = 0; y < height; ++y) {
    const float fy = std::clamp((float(y) + 0.5f) * sy - 0.5f, 0.0f, float(h - 1));
    const int y0 = int(fy);
    const int y1 = std::min(y0 + 1, h - 1);
    const float wy = fy - float(y0);
    for (int x = 0; x < width; ++x) {
      const float fx = std::clamp((float(x) + 0.5f) * sx - 0.5f, 0.0f, float(w - 1));
      const int x0 = int(fx);
      const int x1 = std::min(x0 + 1, w - 1);
      const float wx = fx - float(x0);
      for (int c = 0; c < channels; ++c) {
        const auto at = [&](int yy, int xx) {
          return float(pixels.get()[(size_t(yy) * size_t(w) + size_t(xx)) * size_t(channels) + size_t(c)]);
        };
        const float top = at(y0, x0) + (at(y0, x1) - at(y0, x0)) * wx;
        const float bottom = at(y1, x0) + (at(y1, x1) - at(y1, x0)) * wx;
        const float v = top + (bottom - top) * wy;
        (*out)[(size_t(y) * size_t(width) + size_t(x)) * size_t(channels) + size_t(c)] = (v - mean) / std;
      }
    }
  }
  return Status();
}

}  // namespace ert::tool
