// face_detect: finds faces in a photo with MediaPipe's BlazeFace detector through edgert's C++ API,
// prints them with the timings, and writes the photo with boxes, keypoints and scores drawn.
//
// Usage: face_detect MODEL.ert PHOTO [-o OUT.png] [--threads N] [--runs N] [--score-threshold T]
//   MODEL.ert  face_detection_short_range (128x128) or face_detection_full_range(_sparse)
//              (192x192), converted from MediaPipe's .tflite with `ert convert`
//   PHOTO      PNG, JPEG, BMP, TGA or PNM (anything stb_image reads)
//   -o         annotated PNG (default: PHOTO's name with _faces.png in the current folder)
//   --runs     inferences timed after the first one (default 10); the median is printed
// Prints one line per face: "face K: score S box x0 y0 x1 y1 (pixels) keypoints NAME x y ...",
// then the timings. Exit status 1, with one line on stderr naming the file, on any error.
//
// Steps:
//   1. Decode the photo to RGB (stb_image).
//   2. Letterbox it into the model's input: scale to fit keeping the aspect ratio (stb's filtered
//      resize, so a large photo is averaged, not aliased), centre it, pad with black, map bytes
//      to [-1, 1] as MediaPipe feeds the model.
//   3. Invoke; time the first inference and the median of --runs more.
//   4. Decode every anchor: SSD anchors of unit size on the model's grids (MediaPipe's
//      fixed_anchor_size), box and 6 keypoints as offsets in input pixels, sigmoid scores.
//   5. Weighted non-max suppression: each kept face is the score-weighted mean of the
//      candidates that overlap the best one (IoU > 0.3), as MediaPipe's face graphs do.
//   6. Undo the letterbox, print, draw and write the PNG (stb_image_write).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <ert/ert.hpp>

#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION
// stb's folder is a SYSTEM include (examples/CMakeLists.txt): its code is not held to our warnings.
#include <stb_easy_font.h>
#include <stb_image.h>
#include <stb_image_resize.h>
#include <stb_image_write.h>

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

constexpr int kKeypoints = 6;
const char* const kKeypointNames[kKeypoints] = {"right_eye", "left_eye",        "nose_tip",
                                               "mouth",     "right_ear_tragion", "left_ear_tragion"};

struct Image {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgb;  // width * height * 3
};

// One detection in some coordinate frame: a box (x0, y0, x1, y1) and the keypoints (x, y).
struct Face {
  float score = 0.0f;
  float box[4] = {0, 0, 0, 0};
  float keypoints[2 * kKeypoints] = {};
};

// What differs between the two BlazeFace models MediaPipe ships (its face_detection graphs).
struct DetectorConfig {
  int input_size;
  std::vector<int> strides;  // one per SSD layer; layers of equal stride share a grid
  int anchors_per_layer;     // anchors a layer puts on each cell of its grid
  float score_threshold;
};

const DetectorConfig kShortRange = {128, {8, 16, 16, 16}, 2, 0.5f};
const DetectorConfig kFullRange = {192, {4}, 1, 0.6f};

// Anchor centres (x, y) in [0, 1], in the order the model's outputs list them.
std::vector<float> anchor_centres(const DetectorConfig& config) {
  std::vector<float> centres;
  size_t layer = 0;
  while (layer < config.strides.size()) {
    size_t last = layer;
    while (last < config.strides.size() && config.strides[last] == config.strides[layer]) ++last;
    const int per_cell = config.anchors_per_layer * static_cast<int>(last - layer);
    const int cells = config.input_size / config.strides[layer];
    for (int y = 0; y < cells; ++y) {
      for (int x = 0; x < cells; ++x) {
        for (int a = 0; a < per_cell; ++a) {
          centres.push_back((static_cast<float>(x) + 0.5f) / static_cast<float>(cells));
          centres.push_back((static_cast<float>(y) + 0.5f) / static_cast<float>(cells));
        }
      }
    }
    layer = last;
  }
  return centres;
}

bool load_image(const std::string& path, Image* image, std::string* error) {
  int channels = 0;
  uint8_t* pixels = stbi_load(path.c_str(), &image->width, &image->height, &channels, 3);
  if (pixels == nullptr) {
    *error = path + ": cannot read the photo (" + stbi_failure_reason() + ")";
    return false;
  }
  image->rgb.assign(pixels, pixels + static_cast<size_t>(image->width) * image->height * 3);
  stbi_image_free(pixels);
  return true;
}

// Where the photo sits in the model's square input.
struct Letterbox {
  float scale = 1.0f;  // input pixels per photo pixel
  float pad_x = 0.0f;  // input pixels left of the photo
  float pad_y = 0.0f;
};

// Step 2: the photo letterboxed into size x size, as floats in [-1, 1] (padding is black, -1).
Letterbox letterbox(const Image& photo, int size, float* input) {
  Letterbox lb;
  lb.scale = std::min(static_cast<float>(size) / static_cast<float>(photo.width),
                      static_cast<float>(size) / static_cast<float>(photo.height));
  const int w = std::max(1, static_cast<int>(std::lround(static_cast<float>(photo.width) * lb.scale)));
  const int h = std::max(1, static_cast<int>(std::lround(static_cast<float>(photo.height) * lb.scale)));
  const int x0 = (size - w) / 2;
  const int y0 = (size - h) / 2;
  lb.pad_x = static_cast<float>(x0);
  lb.pad_y = static_cast<float>(y0);
  std::vector<uint8_t> resized(static_cast<size_t>(w) * h * 3);
  stbir_resize_uint8(photo.rgb.data(), photo.width, photo.height, 0, resized.data(), w, h, 0, 3);
  std::fill(input, input + static_cast<size_t>(size) * size * 3, -1.0f);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      for (int c = 0; c < 3; ++c) {
        const uint8_t v = resized[(static_cast<size_t>(y) * w + x) * 3 + c];
        input[(static_cast<size_t>(y + y0) * size + (x + x0)) * 3 + c] =
            static_cast<float>(v) / 127.5f - 1.0f;
      }
    }
  }
  return lb;
}

float iou(const float* a, const float* b) {
  const float ix = std::max(0.0f, std::min(a[2], b[2]) - std::max(a[0], b[0]));
  const float iy = std::max(0.0f, std::min(a[3], b[3]) - std::max(a[1], b[1]));
  const float inter = ix * iy;
  const float uni = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return uni > 0.0f ? inter / uni : 0.0f;
}

// Step 4: candidates above the threshold, in input coordinates normalized to [0, 1].
std::vector<Face> decode(const DetectorConfig& config, const std::vector<float>& anchors,
                         const float* regressors, size_t values_per_anchor, const float* scores) {
  std::vector<Face> faces;
  const float size = static_cast<float>(config.input_size);
  for (size_t i = 0; i < anchors.size() / 2; ++i) {
    const float logit = std::max(-100.0f, std::min(100.0f, scores[i]));
    const float score = 1.0f / (1.0f + std::exp(-logit));
    if (score < config.score_threshold) continue;
    const float* r = regressors + i * values_per_anchor;
    const float ax = anchors[2 * i];
    const float ay = anchors[2 * i + 1];
    const float cx = r[0] / size + ax;
    const float cy = r[1] / size + ay;
    const float w = r[2] / size;
    const float h = r[3] / size;
    Face f;
    f.score = score;
    f.box[0] = cx - w / 2;
    f.box[1] = cy - h / 2;
    f.box[2] = cx + w / 2;
    f.box[3] = cy + h / 2;
    for (int k = 0; k < kKeypoints; ++k) {
      f.keypoints[2 * k] = r[4 + 2 * k] / size + ax;
      f.keypoints[2 * k + 1] = r[4 + 2 * k + 1] / size + ay;
    }
    faces.push_back(f);
  }
  return faces;
}

// Step 5: weighted non-max suppression, best face first.
std::vector<Face> weighted_nms(std::vector<Face> candidates, float iou_threshold) {
  std::sort(candidates.begin(), candidates.end(),
            [](const Face& a, const Face& b) { return a.score > b.score; });
  std::vector<Face> kept;
  std::vector<bool> used(candidates.size(), false);
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (used[i]) continue;
    Face merged;
    merged.score = candidates[i].score;
    float weight = 0.0f;
    for (size_t j = i; j < candidates.size(); ++j) {
      if (used[j] || iou(candidates[i].box, candidates[j].box) <= iou_threshold) continue;
      used[j] = true;
      const float s = candidates[j].score;
      weight += s;
      for (int c = 0; c < 4; ++c) merged.box[c] += s * candidates[j].box[c];
      for (int c = 0; c < 2 * kKeypoints; ++c) merged.keypoints[c] += s * candidates[j].keypoints[c];
    }
    for (float& v : merged.box) v /= weight;
    for (float& v : merged.keypoints) v /= weight;
    kept.push_back(merged);
  }
  return kept;
}

// Step 6: from normalized input coordinates to photo pixels.
Face to_photo(const Face& f, const Letterbox& lb, int input_size) {
  Face p = f;
  const float size = static_cast<float>(input_size);
  for (int c = 0; c < 4 + 2 * kKeypoints; ++c) {
    const bool is_x = c % 2 == 0;
    float& v = c < 4 ? p.box[c] : p.keypoints[c - 4];
    v = (v * size - (is_x ? lb.pad_x : lb.pad_y)) / lb.scale;
  }
  return p;
}

void fill_rect(Image* img, int x0, int y0, int x1, int y1, const uint8_t color[3]) {
  x0 = std::max(x0, 0);
  y0 = std::max(y0, 0);
  x1 = std::min(x1, img->width);
  y1 = std::min(y1, img->height);
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      std::memcpy(&img->rgb[(static_cast<size_t>(y) * img->width + x) * 3], color, 3);
    }
  }
}

void fill_disc(Image* img, float cx, float cy, float radius, const uint8_t color[3]) {
  const int r = static_cast<int>(std::ceil(radius));
  for (int dy = -r; dy <= r; ++dy) {
    for (int dx = -r; dx <= r; ++dx) {
      if (static_cast<float>(dx * dx + dy * dy) > radius * radius) continue;
      const int x = static_cast<int>(std::lround(cx)) + dx;
      const int y = static_cast<int>(std::lround(cy)) + dy;
      if (x >= 0 && y >= 0 && x < img->width && y < img->height) {
        std::memcpy(&img->rgb[(static_cast<size_t>(y) * img->width + x) * 3], color, 3);
      }
    }
  }
}

// Text in stb_easy_font's 7-pixel-high glyphs, each pixel drawn as scale x scale.
void draw_text(Image* img, int x, int y, const char* text, int scale, const uint8_t color[3]) {
  static char quads[64 * 1024];
  const int count = stb_easy_font_print(0, 0, const_cast<char*>(text), nullptr, quads, sizeof(quads));
  // Each quad is 4 vertices of (x, y, z as floats, then 4 colour bytes): 16 bytes each.
  for (int q = 0; q < count; ++q) {
    float v0[2];
    float v2[2];
    std::memcpy(v0, quads + q * 64, sizeof(v0));
    std::memcpy(v2, quads + q * 64 + 32, sizeof(v2));
    fill_rect(img, x + static_cast<int>(v0[0]) * scale, y + static_cast<int>(v0[1]) * scale,
              x + static_cast<int>(v2[0]) * scale, y + static_cast<int>(v2[1]) * scale, color);
  }
}

void draw(Image* img, const std::vector<Face>& faces) {
  const uint8_t box_color[3] = {0, 230, 64};
  const uint8_t point_color[3] = {255, 48, 48};
  const int side = std::min(img->width, img->height);
  const int t = std::max(2, side / 250);  // line thickness
  const int text_scale = std::max(2, side / 300);
  for (const Face& f : faces) {
    const int x0 = static_cast<int>(std::lround(f.box[0]));
    const int y0 = static_cast<int>(std::lround(f.box[1]));
    const int x1 = static_cast<int>(std::lround(f.box[2]));
    const int y1 = static_cast<int>(std::lround(f.box[3]));
    fill_rect(img, x0, y0, x1, y0 + t, box_color);
    fill_rect(img, x0, y1 - t, x1, y1, box_color);
    fill_rect(img, x0, y0, x0 + t, y1, box_color);
    fill_rect(img, x1 - t, y0, x1, y1, box_color);
    for (int k = 0; k < kKeypoints; ++k) {
      fill_disc(img, f.keypoints[2 * k], f.keypoints[2 * k + 1], 1.5f * static_cast<float>(t),
                point_color);
    }
    char label[16];
    std::snprintf(label, sizeof(label), "%.2f", static_cast<double>(f.score));
    const int text_y = y0 - 9 * text_scale >= 0 ? y0 - 9 * text_scale : y1 + 2 * text_scale;
    draw_text(img, x0, text_y, label, text_scale, box_color);
  }
}

std::string default_output(const std::string& photo) {
  std::string base = photo.substr(photo.find_last_of('/') + 1);
  const size_t dot = base.find_last_of('.');
  if (dot != std::string::npos) base.resize(dot);
  return base + "_faces.png";
}

struct Options {
  std::string model;
  std::string photo;
  std::string output;
  int threads = 1;
  int runs = 10;
  float score_threshold = -1.0f;  // < 0: the model's default
};

int usage(const char* message) {
  if (message != nullptr) std::fprintf(stderr, "face_detect: %s\n", message);
  std::fprintf(stderr,
               "usage: face_detect MODEL.ert PHOTO [-o OUT.png] [--threads N] [--runs N] "
               "[--score-threshold T]\n"
               "example: face_detect face_detection_short_range.ert astronaut.png -o faces.png\n");
  return message != nullptr ? 1 : 0;
}

bool parse(int argc, char** argv, Options* o, int* exit_code) {
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "-h" || arg == "--help") {
      *exit_code = usage(nullptr);
      return false;
    } else if ((arg == "-o" || arg == "--output") && has_value) {
      o->output = argv[++i];
    } else if (arg == "--threads" && has_value) {
      o->threads = std::atoi(argv[++i]);
    } else if (arg == "--runs" && has_value) {
      o->runs = std::atoi(argv[++i]);
    } else if (arg == "--score-threshold" && has_value) {
      o->score_threshold = static_cast<float>(std::atof(argv[++i]));
    } else if (!arg.empty() && arg[0] == '-') {
      *exit_code = usage(("unknown option or missing value: " + arg).c_str());
      return false;
    } else {
      positional.push_back(arg);
    }
  }
  if (positional.size() != 2) {
    *exit_code = usage("expected MODEL.ert and PHOTO");
    return false;
  }
  if (o->threads < 1 || o->runs < 0) {
    *exit_code = usage("--threads must be >= 1 and --runs >= 0");
    return false;
  }
  o->model = positional[0];
  o->photo = positional[1];
  if (o->output.empty()) o->output = default_output(o->photo);
  return true;
}

int fail(const std::string& message) {
  std::fprintf(stderr, "face_detect: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  int exit_code = 0;
  if (!parse(argc, argv, &opt, &exit_code)) return exit_code;

  std::string error;
  Image photo;
  Clock::time_point t = Clock::now();
  if (!load_image(opt.photo, &photo, &error)) return fail(error);
  const double decode_ms = ms_since(t);

  t = Clock::now();
  ert::Result<ert::Model> model = ert::Model::from_file(opt.model);
  if (!model) return fail(model.status().to_string());
  const double load_ms = ms_since(t);
  t = Clock::now();
  ert::InterpreterOptions interp_options;
  interp_options.num_threads = opt.threads;
  ert::Result<ert::Interpreter> interp = ert::Interpreter::create(*model, interp_options);
  if (!interp) return fail(interp.status().to_string());
  const double create_ms = ms_since(t);

  // The model: one f32 input [1, S, S, 3]; outputs [1, anchors, 16] (box, keypoints) and
  // [1, anchors, 1] (score logits), told apart by their last dimension.
  ert::TensorView input = interp->input(0);
  const std::vector<int32_t> in_shape = input.shape();
  if (input.dtype() != ERT_F32 || in_shape.size() != 4 || in_shape[1] != in_shape[2] ||
      in_shape[3] != 3) {
    return fail(opt.model + ": input " + input.name() +
                " is not f32 [1,S,S,3]; expected a BlazeFace face detector");
  }
  const DetectorConfig* config = nullptr;
  if (in_shape[1] == kShortRange.input_size) config = &kShortRange;
  if (in_shape[1] == kFullRange.input_size) config = &kFullRange;
  if (config == nullptr) {
    return fail(opt.model + ": input size " + std::to_string(in_shape[1]) +
                " is neither BlazeFace short range (128) nor full range (192)");
  }
  const std::vector<float> anchors = anchor_centres(*config);
  const size_t anchor_count = anchors.size() / 2;
  ert::TensorView regressors;
  ert::TensorView classificators;
  for (size_t i = 0; i < interp->output_count(); ++i) {
    ert::TensorView out = interp->output(i);
    const std::vector<int32_t> s = out.shape();
    if (out.dtype() != ERT_F32 || s.empty() || out.num_elements() % anchor_count != 0) continue;
    const size_t per_anchor = out.num_elements() / anchor_count;
    if (per_anchor >= 4 + 2 * kKeypoints) regressors = out;
    if (per_anchor == 1) classificators = out;
  }
  if (!regressors.valid() || !classificators.valid()) {
    return fail(opt.model + ": no f32 outputs of " + std::to_string(anchor_count) +
                " boxes and scores; expected a BlazeFace face detector");
  }
  const float threshold = opt.score_threshold >= 0.0f ? opt.score_threshold : config->score_threshold;
  DetectorConfig used = *config;
  used.score_threshold = threshold;

  t = Clock::now();
  const Letterbox lb = letterbox(photo, config->input_size, input.data<float>());
  const double preprocess_ms = ms_since(t);

  t = Clock::now();
  if (ert::Status s = interp->invoke(); !s) return fail(opt.model + ": " + s.to_string());
  const double first_ms = ms_since(t);
  std::vector<double> runs_ms;
  for (int r = 0; r < opt.runs; ++r) {
    t = Clock::now();
    if (ert::Status s = interp->invoke(); !s) return fail(opt.model + ": " + s.to_string());
    runs_ms.push_back(ms_since(t));
  }

  t = Clock::now();
  const std::vector<Face> candidates =
      decode(used, anchors, regressors.data<float>(), regressors.num_elements() / anchor_count,
             classificators.data<float>());
  std::vector<Face> faces = weighted_nms(candidates, 0.3f);
  for (Face& f : faces) f = to_photo(f, lb, config->input_size);
  const double postprocess_ms = ms_since(t);

  std::printf("%s: %dx%d, %zu face%s (score >= %.2f, %zu candidates)\n", opt.photo.c_str(),
              photo.width, photo.height, faces.size(), faces.size() == 1 ? "" : "s",
              static_cast<double>(threshold), candidates.size());
  for (size_t i = 0; i < faces.size(); ++i) {
    const Face& f = faces[i];
    std::printf("face %zu: score %.3f box %.1f %.1f %.1f %.1f keypoints", i + 1,
                static_cast<double>(f.score), static_cast<double>(f.box[0]),
                static_cast<double>(f.box[1]), static_cast<double>(f.box[2]),
                static_cast<double>(f.box[3]));
    for (int k = 0; k < kKeypoints; ++k) {
      std::printf(" %s %.1f %.1f", kKeypointNames[k], static_cast<double>(f.keypoints[2 * k]),
                  static_cast<double>(f.keypoints[2 * k + 1]));
    }
    std::printf("\n");
  }

  draw(&photo, faces);
  if (stbi_write_png(opt.output.c_str(), photo.width, photo.height, 3, photo.rgb.data(),
                     photo.width * 3) == 0) {
    return fail(opt.output + ": cannot write the PNG");
  }
  std::printf("wrote %s\n", opt.output.c_str());

  double median_ms = first_ms;
  if (!runs_ms.empty()) {
    std::sort(runs_ms.begin(), runs_ms.end());
    median_ms = runs_ms[runs_ms.size() / 2];
  }
  std::printf(
      "timings (ms): decode photo %.2f, load model %.2f, create interpreter %.2f, letterbox %.2f, "
      "first inference %.2f, inference median of %zu %.2f, decode + nms %.3f (%d thread%s)\n",
      decode_ms, load_ms, create_ms, preprocess_ms, first_ms, runs_ms.size(), median_ms,
      postprocess_ms, opt.threads, opt.threads == 1 ? "" : "s");
  return 0;
}
