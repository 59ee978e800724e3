/* edgert C API: load a .ert model, create interpreters, set inputs, invoke, read outputs.
 *
 * C99, stable ABI. Every handle is opaque. Every function that can fail returns an ert_status
 * and takes, last, an optional ert_error* (NULL is allowed) that receives a message naming the
 * file, tensor or op and what is wrong. The library never aborts and never prints.
 *
 * Threads: a model is immutable once created and may be shared by any number of interpreters on
 * any threads. One interpreter must not be used from two threads at the same time.
 */
#ifndef ERT_ERT_H_
#define ERT_ERT_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(ERT_BUILDING_SHARED)
#define ERT_API __declspec(dllexport)
#elif defined(__GNUC__)
#define ERT_API __attribute__((visibility("default")))
#else
#define ERT_API
#endif

/** Result of a call, grouped by kind. */
typedef enum ert_status {
  ERT_OK = 0,               /**< Success. */
  ERT_INVALID_ARGUMENT = 1, /**< The caller passed a bad argument (null handle, bad index...). */
  ERT_INVALID_MODEL = 2,    /**< The model file is malformed or inconsistent. */
  ERT_UNSUPPORTED = 3,      /**< The model is valid but uses something edgert cannot run. */
  ERT_OUT_OF_MEMORY = 4,    /**< An allocation failed or a memory cap was exceeded. */
  ERT_IO_ERROR = 5,         /**< A file could not be opened, read or mapped. */
  ERT_BACKEND_ERROR = 6,    /**< A kernel backend (XNNPACK) failed. */
  ERT_INVALID_STATE = 7     /**< The call is not allowed in the object's current state. */
} ert_status;

/** Capacity of ert_error.message, including the terminating NUL. */
#define ERT_ERROR_MESSAGE_CAPACITY 512

/** Receives the details of a failed call. Owned by the caller (usually on its stack). */
typedef struct ert_error {
  ert_status status;                         /**< Same as the call's return value. */
  char message[ERT_ERROR_MESSAGE_CAPACITY];  /**< NUL-terminated; truncated if longer. */
} ert_error;

/** Element type of a tensor. Values match the .ert format's DType. */
typedef enum ert_dtype {
  ERT_F32 = 0,
  ERT_F16 = 1,
  ERT_I8 = 2,
  ERT_U8 = 3,
  ERT_I32 = 4,
  ERT_I64 = 5,
  ERT_BOOL = 6
} ert_dtype;

/** Most dimensions a tensor may have. */
#define ERT_MAX_RANK 6

typedef struct ert_model ert_model;             /**< A loaded, verified model. */
/* One interpreter must not be used from two threads at the same time; a model may be shared by
 * interpreters on any number of threads (give each thread its own interpreter). */
typedef struct ert_interpreter ert_interpreter; /**< Runs a model; owns its activations. */
typedef struct ert_tensor ert_tensor;           /**< A tensor of an interpreter (borrowed). */

/** Returns the library version, for example "0.1.0". Static storage. */
ERT_API const char* ert_version(void);

/** Returns a short constant name for a status ("ERT_INVALID_MODEL"). Static storage. */
ERT_API const char* ert_status_name(ert_status status);

/** Returns the name of a dtype ("f32"), or "unknown". Static storage. */
ERT_API const char* ert_dtype_name(ert_dtype dtype);

/** Returns the size of one element of a dtype in bytes, or 0 for an unknown dtype. */
ERT_API size_t ert_dtype_size(ert_dtype dtype);

/* ---------------------------------------------------------------------------------------- */
/* Models                                                                                     */

/** Maps a .ert file read-only and verifies it. Weights are used in place from the mapping.
 *  On success *out_model owns the mapping; release it with ert_model_delete.
 *  Returns ERT_INVALID_ARGUMENT (null path or out_model), ERT_IO_ERROR (cannot open or map),
 *  ERT_INVALID_MODEL (verification failed), ERT_UNSUPPORTED (newer format version). */
ERT_API ert_status ert_model_create_from_file(const char* path, ert_model** out_model,
                                              ert_error* error);

/** Verifies a .ert image in the caller's memory and uses it in place (zero-copy).
 *  The buffer must stay alive and unchanged until ert_model_delete, and must be 16-byte
 *  aligned. Statuses as for ert_model_create_from_file (ERT_INVALID_ARGUMENT when misaligned). */
ERT_API ert_status ert_model_create_from_buffer(const void* data, size_t size,
                                                ert_model** out_model, ert_error* error);

/** Releases a model. Interpreters created from it must be deleted first. NULL is ignored. */
ERT_API void ert_model_delete(ert_model* model);

/** Number of model inputs / outputs. */
ERT_API size_t ert_model_input_count(const ert_model* model);
ERT_API size_t ert_model_output_count(const ert_model* model);

/** Arena bytes the stored memory plan needs for the declared shapes. */
ERT_API size_t ert_model_arena_bytes(const ert_model* model);

/** Metadata value for a key ("producer", "producer_version", "source_file", "source_sha256",
 *  "model_version", or a free-form key), or NULL. Valid while the model lives. */
ERT_API const char* ert_model_metadata(const ert_model* model, const char* key);

/* ---------------------------------------------------------------------------------------- */
/* Interpreters                                                                               */

/** Optional log callback: receives each error message as it is produced. */
typedef void (*ert_log_fn)(void* user_data, ert_status status, const char* message);

/** Options of ert_interpreter_create. Initialize with ert_interpreter_options_init. */
typedef struct ert_interpreter_options {
  int num_threads;          /**< Threads for kernels; 1 (the default) runs on the caller only. */
  void* arena;              /**< Caller-owned activation memory, 64-byte aligned, or NULL to
                                 let the interpreter allocate once at create. Must outlive the
                                 interpreter. */
  size_t arena_bytes;       /**< Size of `arena` when given: at least the plan's arena bytes
                                 plus ERT_ARENA_SLACK_BYTES. */
  size_t max_arena_bytes;   /**< Cap on the arena the interpreter may need; 0 means no cap. */
  ert_log_fn log;           /**< Optional; called with every error message. */
  void* log_user_data;      /**< Passed to `log`. */
  int reference_kernels;    /**< Non-zero: run only the portable reference kernels (no XNNPACK,
                                 no own micro-kernels), e.g. to check the fast path. */
} ert_interpreter_options;

/** Bytes past the last tensor that fast kernels may read (never write), as XNNPACK does. A
 *  caller's arena must hold the plan's arena bytes plus this much. */
#define ERT_ARENA_SLACK_BYTES 64

/** Fills options with defaults: one thread, interpreter-owned arena, no cap, no log. */
ERT_API void ert_interpreter_options_init(ert_interpreter_options* options);

/** Creates an interpreter: creates kernels, checks the stored plan, binds the arena.
 *  The model must outlive the interpreter. options may be NULL for defaults.
 *  Returns ERT_INVALID_ARGUMENT, ERT_INVALID_MODEL, ERT_UNSUPPORTED (an op or dtype edgert cannot
 *  run), ERT_OUT_OF_MEMORY (allocation failed, the caller's arena is too small, or the arena
 *  would exceed max_arena_bytes), ERT_BACKEND_ERROR. */
ERT_API ert_status ert_interpreter_create(const ert_model* model,
                                          const ert_interpreter_options* options,
                                          ert_interpreter** out_interpreter, ert_error* error);

/** Releases an interpreter and everything it owns. NULL is ignored. */
ERT_API void ert_interpreter_delete(ert_interpreter* interpreter);

/** Arena bytes the interpreter uses now (after the last resize). */
ERT_API size_t ert_interpreter_arena_bytes(const ert_interpreter* interpreter);

/** Number of inputs / outputs (same as the model's). */
ERT_API size_t ert_interpreter_input_count(const ert_interpreter* interpreter);
ERT_API size_t ert_interpreter_output_count(const ert_interpreter* interpreter);

/** Borrowed tensor handles; valid until the interpreter is deleted. Data pointers inside them
 *  change on resize. Return NULL for an index out of range. */
ERT_API ert_tensor* ert_interpreter_input(ert_interpreter* interpreter, size_t index);
ERT_API const ert_tensor* ert_interpreter_output(const ert_interpreter* interpreter, size_t index);

/** Looks an input or output up by tensor name. Returns NULL when there is none. */
ERT_API ert_tensor* ert_interpreter_input_by_name(ert_interpreter* interpreter, const char* name);
ERT_API const ert_tensor* ert_interpreter_output_by_name(const ert_interpreter* interpreter,
                                                         const char* name);

/** Changes the shape of input `index`; shapes propagate through the graph and memory is planned
 *  again. Input data is not kept. Returns ERT_INVALID_ARGUMENT (bad index or dims),
 *  ERT_INVALID_MODEL/ERT_UNSUPPORTED (an op rejects the new shapes; the interpreter then
 *  returns ERT_INVALID_STATE from invoke until a good resize), ERT_OUT_OF_MEMORY. */
ERT_API ert_status ert_interpreter_resize_input(ert_interpreter* interpreter, size_t index,
                                                const int32_t* dims, size_t rank,
                                                ert_error* error);

/** Runs the model once on the current input data. Allocates nothing.
 *  Returns ERT_INVALID_ARGUMENT (null), ERT_INVALID_STATE (after a failed resize),
 *  ERT_BACKEND_ERROR. */
ERT_API ert_status ert_interpreter_invoke(ert_interpreter* interpreter, ert_error* error);

/* ---------------------------------------------------------------------------------------- */
/* Tensors                                                                                    */

/** Name of the tensor; valid while the model lives. */
ERT_API const char* ert_tensor_name(const ert_tensor* tensor);
ERT_API ert_dtype ert_tensor_dtype(const ert_tensor* tensor);
ERT_API size_t ert_tensor_rank(const ert_tensor* tensor);
/** Dimension `axis`, or -1 when axis >= rank. */
ERT_API int32_t ert_tensor_dim(const ert_tensor* tensor, size_t axis);
/** Size of the data in bytes. */
ERT_API size_t ert_tensor_byte_size(const ert_tensor* tensor);
/** Per-tensor quantization: scale 0 and zero point 0 when the tensor is not quantized. */
ERT_API float ert_tensor_scale(const ert_tensor* tensor);
ERT_API int64_t ert_tensor_zero_point(const ert_tensor* tensor);
/** The data in the arena (writable for inputs). Valid until the next resize. */
ERT_API void* ert_tensor_data(ert_tensor* tensor);
ERT_API const void* ert_tensor_data_const(const ert_tensor* tensor);

/** Copies `size` bytes into / out of the tensor. `size` must equal ert_tensor_byte_size.
 *  Returns ERT_INVALID_ARGUMENT otherwise. */
ERT_API ert_status ert_tensor_copy_from(ert_tensor* tensor, const void* data, size_t size,
                                        ert_error* error);
ERT_API ert_status ert_tensor_copy_to(const ert_tensor* tensor, void* data, size_t size,
                                      ert_error* error);

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif /* ERT_ERT_H_ */
