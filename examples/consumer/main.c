/* An application's use of an installed edgert, through the C API (ert/ert.h): loads the model
 * named on the command line, fills every input with a fixed ramp, invokes once and prints the
 * first values of every output. C99. Prints the same lines as main.cc.
 *
 * Usage: consumer_c MODEL.ert */
#include <stdio.h>

#include <ert/ert.h>

#define SHOWN_VALUES 8

static void print_tensor(const char* kind, const ert_tensor* t) {
  size_t axis;
  printf("%s %s [", kind, ert_tensor_name(t));
  for (axis = 0; axis < ert_tensor_rank(t); ++axis) {
    printf(axis > 0 ? ",%ld" : "%ld", (long)ert_tensor_dim(t, axis));
  }
  printf("] %s", ert_dtype_name(ert_tensor_dtype(t)));
}

static size_t element_count(const ert_tensor* t) {
  size_t size = ert_dtype_size(ert_tensor_dtype(t));
  return size == 0 ? 0 : ert_tensor_byte_size(t) / size;
}

/* The ramp 1.5 * i - 3 for float inputs (negative, zero and positive values, so that
 * activations show), and its integer counterpart for quantized inputs. Returns 0 for other
 * element types. */
static int fill(ert_tensor* t) {
  size_t n = element_count(t), i;
  void* data = ert_tensor_data(t);
  switch (ert_tensor_dtype(t)) {
    case ERT_F32:
      for (i = 0; i < n; ++i) ((float*)data)[i] = 1.5f * (float)i - 3.0f;
      return 1;
    case ERT_I8:
      for (i = 0; i < n; ++i) ((int8_t*)data)[i] = (int8_t)((int)(i % 256) - 128);
      return 1;
    case ERT_U8:
      for (i = 0; i < n; ++i) ((uint8_t*)data)[i] = (uint8_t)(i % 256);
      return 1;
    default:
      return 0;
  }
}

static void print_values(const ert_tensor* t) {
  size_t n = element_count(t), i;
  const void* data = ert_tensor_data_const(t);
  if (n > SHOWN_VALUES) n = SHOWN_VALUES;
  for (i = 0; i < n; ++i) {
    switch (ert_tensor_dtype(t)) {
      case ERT_F32: printf(" %g", (double)((const float*)data)[i]); break;
      case ERT_I8: printf(" %d", ((const int8_t*)data)[i]); break;
      case ERT_U8: printf(" %d", ((const uint8_t*)data)[i]); break;
      case ERT_I32: printf(" %ld", (long)((const int32_t*)data)[i]); break;
      default: printf(" ?"); break;
    }
  }
  printf("\n");
}

int main(int argc, char** argv) {
  ert_model* model = NULL;
  ert_interpreter* interp = NULL;
  ert_error err;
  size_t i;
  int status = 1;

  if (argc != 2) {
    fprintf(stderr, "usage: %s MODEL.ert\n", argv[0]);
    return 2;
  }
  printf("edgert %s\n", ert_version());

  if (ert_model_create_from_file(argv[1], &model, &err) != ERT_OK) {
    fprintf(stderr, "load: %s: %s\n", ert_status_name(err.status), err.message);
    return 1;
  }
  /* NULL options: one thread, an arena the interpreter allocates. */
  if (ert_interpreter_create(model, NULL, &interp, &err) != ERT_OK) {
    fprintf(stderr, "create: %s: %s\n", ert_status_name(err.status), err.message);
    goto done;
  }
  for (i = 0; i < ert_interpreter_input_count(interp); ++i) {
    ert_tensor* in = ert_interpreter_input(interp, i);
    print_tensor("input", in);
    printf("\n");
    if (!fill(in)) {
      fprintf(stderr, "input %s: this example fills only f32, i8 and u8 inputs\n",
              ert_tensor_name(in));
      goto done;
    }
  }
  if (ert_interpreter_invoke(interp, &err) != ERT_OK) {
    fprintf(stderr, "invoke: %s: %s\n", ert_status_name(err.status), err.message);
    goto done;
  }
  for (i = 0; i < ert_interpreter_output_count(interp); ++i) {
    const ert_tensor* out = ert_interpreter_output(interp, i);
    print_tensor("output", out);
    printf(":");
    print_values(out);
  }
  status = 0;

done:
  ert_interpreter_delete(interp);
  ert_model_delete(model);
  return status;
}
