#include "src/convert/sha256.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using ert::cvt::Sha256;
using ert::cvt::sha256_hex;

namespace {

std::string hex_of(const std::array<uint8_t, 32>& digest) {
  static const char kHex[] = "0123456789abcdef";
  std::string s;
  for (uint8_t b : digest) {
    s.push_back(kHex[b >> 4]);
    s.push_back(kHex[b & 15]);
  }
  return s;
}

std::string hex_of_string(const std::string& s) { return sha256_hex(s.data(), s.size()); }

}  // namespace

// The digests below are the published FIPS 180-4 / NIST examples, or were computed with Python's
// hashlib; none come from the code under test.
TEST_CASE("sha256 of the standard test messages") {
  CHECK(sha256_hex(nullptr, 0) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex_of_string("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex_of_string("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(hex_of_string("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                      "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu") ==
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  CHECK(hex_of_string(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 pads correctly at every block boundary") {
  // 55 bytes is the longest message whose padding fits its block; 56 to 63 need a second block.
  struct Case {
    size_t length;
    const char* digest;
  };
  const Case cases[] = {
      {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
      {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
      {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
      {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
      {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
      {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
      {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
      {128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.length);
    CHECK(hex_of_string(std::string(c.length, 'a')) == c.digest);
  }
}

TEST_CASE("sha256 gives the same digest however the input is split") {
  // bytes(range(256)) * 5 in Python.
  std::vector<uint8_t> data(1280);
  for (size_t i = 0; i < data.size(); ++i) data[i] = uint8_t(i);
  const std::string expected = "d414b085826eb06778483ba35564dc849e643359f69ed9747878ba6e54985bed";
  CHECK(sha256_hex(data.data(), data.size()) == expected);
  for (size_t chunk : {size_t(1), size_t(7), size_t(63), size_t(64), size_t(65), size_t(500)}) {
    CAPTURE(chunk);
    Sha256 h;
    h.update(nullptr, 0);  // Empty updates anywhere change nothing.
    for (size_t at = 0; at < data.size(); at += chunk) {
      const size_t n = data.size() - at < chunk ? data.size() - at : chunk;
      h.update(data.data() + at, n);
      h.update(data.data() + at, 0);
    }
    CHECK(hex_of(h.finish()) == expected);
  }
}
