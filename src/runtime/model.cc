// Loading: mapping a file or adopting a caller's buffer, then handing it to the verifier.
#include "src/runtime/model.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ert::rt {

Model::~Model() {
  if (mapping_ != nullptr) munmap(mapping_, mapping_size_);
}

Status Model::load_file(const char* path, std::unique_ptr<Model>* out) {
  if (path == nullptr) return make_status(ERT_INVALID_ARGUMENT, "model path is null");
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return make_status(ERT_IO_ERROR, "%s: cannot open: %s", path, std::strerror(errno));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    return make_status(ERT_IO_ERROR, "%s: cannot stat: %s", path, std::strerror(e));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return make_status(ERT_IO_ERROR, "%s: not a regular file", path);
  }
  if (st.st_size <= 0) {
    ::close(fd);
    return make_status(ERT_INVALID_MODEL, "%s: file is empty", path);
  }
  const size_t size = size_t(st.st_size);
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  const int map_errno = errno;
  ::close(fd);
  if (map == MAP_FAILED) {
    return make_status(ERT_IO_ERROR, "%s: cannot map %zu bytes: %s", path, size,
                       std::strerror(map_errno));
  }
  std::unique_ptr<Model> model(new (std::nothrow) Model());
  if (!model) {
    munmap(map, size);
    return make_status(ERT_OUT_OF_MEMORY, "%s: cannot allocate the model", path);
  }
  model->mapping_ = map;
  model->mapping_size_ = size;
  model->data_ = static_cast<const uint8_t*>(map);
  model->size_ = size;
  model->origin_ = path;
  ERT_RETURN_IF_ERROR(model->verify());
  *out = std::move(model);
  return Status();
}

Status Model::load_buffer(const void* data, size_t size, std::unique_ptr<Model>* out) {
  if (data == nullptr) return make_status(ERT_INVALID_ARGUMENT, "model buffer is null");
  if (reinterpret_cast<uintptr_t>(data) % 16 != 0) {
    return make_status(ERT_INVALID_ARGUMENT,
                       "model buffer at %p is not 16-byte aligned (weights are used in place)",
                       data);
  }
  std::unique_ptr<Model> model(new (std::nothrow) Model());
  if (!model) return make_status(ERT_OUT_OF_MEMORY, "cannot allocate the model");
  model->data_ = static_cast<const uint8_t*>(data);
  model->size_ = size;
  model->origin_ = "model buffer";
  ERT_RETURN_IF_ERROR(model->verify());
  *out = std::move(model);
  return Status();
}

const char* Model::metadata(const char* key) const {
  const fb::Metadata* m = root_->metadata();
  if (m == nullptr || key == nullptr) return nullptr;
  auto str = [](const flatbuffers::String* s) { return s ? s->c_str() : nullptr; };
  if (std::strcmp(key, "producer") == 0) return str(m->producer());
  if (std::strcmp(key, "producer_version") == 0) return str(m->producer_version());
  if (std::strcmp(key, "source_file") == 0) return str(m->source_file());
  if (std::strcmp(key, "source_sha256") == 0) return str(m->source_sha256());
  if (std::strcmp(key, "model_version") == 0) return str(m->model_version());
  if (m->entries() != nullptr) {
    for (const fb::KeyValue* kv : *m->entries()) {
      if (kv != nullptr && kv->key() != nullptr && std::strcmp(kv->key()->c_str(), key) == 0) {
        return str(kv->value());
      }
    }
  }
  return nullptr;
}

void Model::release_pages(const uint8_t* data, size_t bytes) const {
  if (mapping_ == nullptr || bytes == 0) return;
  const uintptr_t map_begin = reinterpret_cast<uintptr_t>(mapping_);
  const uintptr_t begin = reinterpret_cast<uintptr_t>(data);
  if (begin < map_begin || begin - map_begin > mapping_size_ ||
      bytes > mapping_size_ - (begin - map_begin)) {
    return;  // Not in this model's file (an fp16 constant widened at create, for example).
  }
  // Only whole pages inside the range: a page shared with data that is still read stays.
  const uintptr_t page = uintptr_t(::sysconf(_SC_PAGESIZE));
  const uintptr_t first = (begin + page - 1) / page * page;
  const uintptr_t last = (begin + bytes) / page * page;
  if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

}  // namespace ert::rt
