// A program that commits, on request, a defect a sanitizer reports, so
// that harness_test can check that a child's report fails the test (issue
// 14 item 7). Built in every build; only a sanitizer build reports.
//
//   sanitizer_victim heap-use-after-free | signed-overflow | leak | clean

#include <climits>
#include <cstdio>
#include <cstring>

namespace {

// Opaque to the optimiser and to -Wuse-after-free: the defects must happen.
int* volatile sink = nullptr;

int UseAfterFree() {
  int* p = new int[4]();
  sink = p;
  delete[] p;
  return sink[1];  // heap-use-after-free
}

int SignedOverflow() {
  volatile int big = INT_MAX;
  int one = big;
  return one + big;  // signed integer overflow
}

__attribute__((noinline)) void Leak() {
  for (int i = 0; i < 16; ++i) sink = new int[64]();
  sink = nullptr;  // nothing points at them any more
}

}  // namespace

int main(int argc, char** argv) {
  const char* what = argc > 1 ? argv[1] : "";
  if (std::strcmp(what, "heap-use-after-free") == 0) return UseAfterFree();
  if (std::strcmp(what, "signed-overflow") == 0) return SignedOverflow() & 1;
  if (std::strcmp(what, "leak") == 0) {
    Leak();
    return 0;
  }
  if (std::strcmp(what, "clean") == 0) return 0;
  std::fprintf(stderr,
               "usage: sanitizer_victim heap-use-after-free|"
               "signed-overflow|leak|clean\n");
  return 2;
}
