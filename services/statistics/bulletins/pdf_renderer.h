// A bulletin's PDF (issue 17 item 2: "for printing and filing"), rendered
// from its HTML (bulletin_html.h) by WeasyPrint.
//
// Why WeasyPrint: it is a maintained Debian package (`weasyprint`, 57 in
// bookworm) made for exactly this, HTML + CSS (paged media: @page, page
// counters) + SVG to PDF, with real text in the PDF (searchable, and the
// tests read it back with pdftotext). It needs no browser, no display and
// no network; the CJK glyphs come from Debian's fonts-noto-cjk. (Headless
// Chromium's --print-to-pdf would also do, but pulls a whole browser into
// the service's image and ignores CSS page counters.) Both packages are in
// scripts/packages.txt [runtime].
//
// WeasyPrint is a Python program: it runs as a child process with a
// deadline, so a stuck or crashing renderer costs one bulletin, never the
// service. The HTML goes in and the PDF comes out through files in a
// private temporary directory that is removed afterwards.
//
// Thread safety: Render() may be called from several threads at once;
// each call has its own child and directory.

#ifndef CASERELAY_SERVICES_STATISTICS_BULLETINS_PDF_RENDERER_H_
#define CASERELAY_SERVICES_STATISTICS_BULLETINS_PDF_RENDERER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace caserelay::bulletins {

// Interface: HTML in, PDF bytes out.
class PdfRenderer {
 public:
  virtual ~PdfRenderer() = default;

  // The PDF of the self-contained HTML document `html`. Errors:
  //   UNAVAILABLE        the renderer could not be started, failed (the
  //                      message ends with the tail of its error output)
  //                      or produced no PDF; retrying may help
  //   DEADLINE_EXCEEDED  it ran past its deadline and was killed
  virtual absl::StatusOr<std::string> Render(absl::string_view html) const = 0;
};

struct WeasyPrintOptions {
  // The program, found on PATH unless it has a slash (bulletins.weasyprint).
  std::string program = "weasyprint";
  // How long one rendering may take (bulletins.pdf_timeout).
  absl::Duration timeout = absl::Seconds(120);
  // Where the private temporary directories are made; empty: $TMPDIR, else
  // /tmp.
  std::string scratch_dir;
};

class WeasyPrintRenderer final : public PdfRenderer {
 public:
  // Errors: INVALID_ARGUMENT for an empty program or a timeout <= 0. The
  // program is not looked for until the first Render().
  static absl::StatusOr<std::unique_ptr<WeasyPrintRenderer>> Create(
      WeasyPrintOptions options);

  absl::StatusOr<std::string> Render(absl::string_view html) const override;

 private:
  explicit WeasyPrintRenderer(WeasyPrintOptions options)
      : options_(std::move(options)) {}

  const WeasyPrintOptions options_;  // const after construction
};

}  // namespace caserelay::bulletins

#endif  // CASERELAY_SERVICES_STATISTICS_BULLETINS_PDF_RENDERER_H_
