# Copies the project's TFLite schema with its namespace renamed (ert.tflite -> ert.tflite_mutation),
# so that the object API generated from it for the mutation test cannot clash with the importer's
# generated code. Run as: cmake -DIN=... -DOUT=... -P rename_namespace.cmake
file(READ "${IN}" schema)
string(REPLACE "namespace ert.tflite;" "namespace ert.tflite_mutation;" schema "${schema}")
if(NOT schema MATCHES "namespace ert\\.tflite_mutation;")
  message(FATAL_ERROR "${IN}: no 'namespace ert.tflite;' line to rename")
endif()
file(WRITE "${OUT}" "${schema}")
