/* The C API end to end, from C99: load a model, inspect it, fill the input, invoke, read and
 * check the output, resize, and see errors reported with messages.
 * Usage: c_api_example relu_chain.ert   (x [1,4,4,3] -> RELU -> RELU6 -> y) */
#include <stdio.h>
#include <string.h>

#include "ert/ert.h"

static int failures = 0;

#define EXPECT(cond)                                                 \
  do {                                                               \
    if (!(cond)) {                                                   \
      fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                    \
    }                                                                \
  } while (0)

static float relu6(float v) { return v < 0.0f ? 0.0f : (v > 6.0f ? 6.0f : v); }

static int run_and_check(ert_interpreter* interp) {
  ert_error err;
  ert_tensor* x = ert_interpreter_input_by_name(interp, "x");
  const ert_tensor* y = ert_interpreter_output_by_name(interp, "y");
  size_t count, i;
  float* in;
  const float* out;
  if (x == NULL || y == NULL) return 1;
  count = ert_tensor_byte_size(x) / sizeof(float);
  in = (float*)ert_tensor_data(x);
  for (i = 0; i < count; ++i) in[i] = (float)i * 0.25f - 4.0f;
  if (ert_interpreter_invoke(interp, &err) != ERT_OK) {
    fprintf(stderr, "invoke: %s\n", err.message);
    return 1;
  }
  out = (const float*)ert_tensor_data_const(y);
  EXPECT(ert_tensor_byte_size(y) == count * sizeof(float));
  for (i = 0; i < count; ++i) EXPECT(out[i] == relu6((float)i * 0.25f - 4.0f));
  return 0;
}

int main(int argc, char** argv) {
  ert_model* model = NULL;
  ert_interpreter* interp = NULL;
  ert_interpreter_options options;
  ert_error err;
  const ert_tensor* y;
  int32_t dims[4] = {2, 4, 4, 3};
  float copy[96];

  if (argc != 2) {
    fprintf(stderr, "usage: %s MODEL.ert\n", argv[0]);
    return 2;
  }
  printf("edgert %s\n", ert_version());

  /* Errors carry a status and a message naming the file. */
  EXPECT(ert_model_create_from_file("/no/such/model.ert", &model, &err) == ERT_IO_ERROR);
  EXPECT(err.status == ERT_IO_ERROR);
  EXPECT(strstr(err.message, "/no/such/model.ert") != NULL);
  EXPECT(model == NULL);
  EXPECT(ert_model_create_from_file(argv[1], NULL, &err) == ERT_INVALID_ARGUMENT);

  if (ert_model_create_from_file(argv[1], &model, &err) != ERT_OK) {
    fprintf(stderr, "load: %s: %s\n", ert_status_name(err.status), err.message);
    return 1;
  }
  EXPECT(ert_model_input_count(model) == 1);
  EXPECT(ert_model_output_count(model) == 1);
  /* x, a and y: three 192-byte buffers, x kept to the end. */
  EXPECT(ert_model_arena_bytes(model) == 576);
  EXPECT(strcmp(ert_model_metadata(model, "producer"), "edgert ModelBuilder") == 0);

  ert_interpreter_options_init(&options);
  options.num_threads = 1;
  if (ert_interpreter_create(model, &options, &interp, &err) != ERT_OK) {
    fprintf(stderr, "create: %s\n", err.message);
    return 1;
  }
  EXPECT(ert_tensor_dtype(ert_interpreter_input(interp, 0)) == ERT_F32);
  EXPECT(ert_tensor_rank(ert_interpreter_input(interp, 0)) == 4);
  EXPECT(ert_tensor_dim(ert_interpreter_input(interp, 0), 3) == 3);
  EXPECT(ert_tensor_dim(ert_interpreter_input(interp, 0), 4) == -1);
  EXPECT(ert_interpreter_input(interp, 1) == NULL);
  EXPECT(run_and_check(interp) == 0);

  /* Copy out, with a wrong size refused. */
  y = ert_interpreter_output(interp, 0);
  EXPECT(ert_tensor_copy_to(y, copy, 10, &err) == ERT_INVALID_ARGUMENT);
  EXPECT(strstr(err.message, "192 bytes") != NULL);
  EXPECT(ert_tensor_copy_to(y, copy, 192, NULL) == ERT_OK);
  EXPECT(copy[47] == relu6(47 * 0.25f - 4.0f));

  /* Resize to a batch of two and run again. */
  EXPECT(ert_interpreter_resize_input(interp, 0, dims, 4, &err) == ERT_OK);
  EXPECT(ert_tensor_dim(ert_interpreter_output(interp, 0), 0) == 2);
  EXPECT(run_and_check(interp) == 0);

  ert_interpreter_delete(interp);
  ert_model_delete(model);
  printf("%d failed\n", failures);
  return failures == 0 ? 0 : 1;
}
