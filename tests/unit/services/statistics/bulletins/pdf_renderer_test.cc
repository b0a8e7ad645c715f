// The bulletin's PDF through WeasyPrint (issue 17 item 2, Must show: "a
// rendered PDF checked in a test (page count, the title, a figure present
// in the text layer) and its first page converted to PNG"). Reads the PDF
// back with poppler-utils (pdfinfo, pdftotext, pdftoppm; scripts/
// packages.txt [test]).
#include "services/statistics/bulletins/pdf_renderer.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/file/file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/statistics/bulletins/bulletin_html.h"
#include "tests/unit/services/statistics/bulletins/sample_content.h"

namespace caserelay::bulletins {
namespace {

using ::testing::HasSubstr;

// The output of a shell command (stderr too) and whether it exited 0.
std::string Shell(const std::string& command, bool* ok) {
  std::string out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    *ok = false;
    return out;
  }
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  *ok = pclose(pipe) == 0;
  return out;
}

class PdfRendererTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A directory of its own: ctest runs this binary's tests in parallel,
    // and one test's TearDown must not remove another's files.
    std::string pattern = ::testing::TempDir() + "pdf_renderer_test.XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(PdfRendererTest, RendersTheWeeklyWithCjkTextPagesAndFigures) {
  absl::StatusOr<std::string> html = RenderHtml(SampleWeekly());
  ASSERT_TRUE(html.ok()) << html.status();
  absl::StatusOr<std::unique_ptr<WeasyPrintRenderer>> renderer =
      WeasyPrintRenderer::Create({});
  ASSERT_TRUE(renderer.ok()) << renderer.status();
  absl::StatusOr<std::string> pdf = (*renderer)->Render(*html);
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  ASSERT_EQ(pdf->rfind("%PDF-", 0), 0u);
  const std::string path = dir_ + "/weekly.pdf";
  ASSERT_TRUE(file::WriteFileAtomically(path, *pdf).ok());

  bool ok = false;
  std::string info = Shell("pdfinfo " + path, &ok);
  ASSERT_TRUE(ok) << info;
  EXPECT_THAT(info, ::testing::ContainsRegex(
                        "Title: +山西省信访局 周通报 2026年第11期\n"));
  EXPECT_THAT(info, ::testing::ContainsRegex("Pages: +3\n")) << info;
  EXPECT_THAT(info, HasSubstr("A4")) << info;

  std::string text = Shell("pdftotext " + path + " -", &ok);
  ASSERT_TRUE(ok) << text;
  EXPECT_THAT(text, HasSubstr("周通报"));
  EXPECT_THAT(text, HasSubstr("2026年第11期"));
  EXPECT_THAT(text, HasSubstr("本期共登记信访事项1287件"));
  EXPECT_THAT(text, HasSubstr("太原市人力资源和社会保障局"));
  EXPECT_THAT(text, HasSubstr("第1页"));  // the @page footer
  EXPECT_THAT(text, HasSubstr("共3页"));
  // The fonts are embedded CJK (a missing font shows as boxes, not text).
  std::string fonts = Shell("pdffonts " + path, &ok);
  ASSERT_TRUE(ok) << fonts;
  EXPECT_THAT(fonts, HasSubstr("Noto-Sans-CJK-SC"));

  // The first page as PNG: the sample kept under docs/ (README there).
  const std::string png =
      std::string(CASERELAY_BINARY_DIR) + "/bulletin-sample-weekly";
  std::string out = Shell(
      "pdftoppm -png -r 110 -f 1 -l 1 -singlefile " + path + " " + png, &ok);
  ASSERT_TRUE(ok) << out;
  struct stat st;
  ASSERT_EQ(stat((png + ".png").c_str(), &st), 0);
  EXPECT_GT(st.st_size, 20000);
}

TEST_F(PdfRendererTest, ARendererPastItsDeadlineIsKilled) {
  const std::string slow = dir_ + "/slow-renderer";
  ASSERT_TRUE(
      file::WriteFileAtomically(slow, "#!/bin/sh\nexec sleep 30\n").ok());
  ASSERT_EQ(chmod(slow.c_str(), 0755), 0);
  absl::StatusOr<std::unique_ptr<WeasyPrintRenderer>> renderer =
      WeasyPrintRenderer::Create({slow, absl::Milliseconds(300), dir_});
  ASSERT_TRUE(renderer.ok());
  const absl::Time start = absl::Now();
  absl::StatusOr<std::string> pdf = (*renderer)->Render("<html></html>");
  EXPECT_EQ(pdf.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  // Its private directory is gone too: only the script is left.
  int entries = 0;
  for (auto& entry : std::filesystem::directory_iterator(dir_)) {
    (void)entry;
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST_F(PdfRendererTest, AFailingOrMissingRendererIsUnavailable) {
  const std::string failing = dir_ + "/failing-renderer";
  ASSERT_TRUE(file::WriteFileAtomically(
                  failing, "#!/bin/sh\necho 'no fonts here' >&2\nexit 3\n")
                  .ok());
  ASSERT_EQ(chmod(failing.c_str(), 0755), 0);
  absl::StatusOr<std::unique_ptr<WeasyPrintRenderer>> renderer =
      WeasyPrintRenderer::Create({failing, absl::Seconds(10), dir_});
  ASSERT_TRUE(renderer.ok());
  absl::StatusOr<std::string> pdf = (*renderer)->Render("<html></html>");
  EXPECT_EQ(pdf.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(pdf.status().message(), HasSubstr("exit 3"));
  EXPECT_THAT(pdf.status().message(), HasSubstr("no fonts here"));

  renderer = WeasyPrintRenderer::Create(
      {dir_ + "/no-such-renderer", absl::Seconds(10), dir_});
  ASSERT_TRUE(renderer.ok());
  EXPECT_EQ((*renderer)->Render("<html></html>").status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(
      WeasyPrintRenderer::Create({"", absl::Seconds(1), ""}).status().code(),
      absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace caserelay::bulletins
