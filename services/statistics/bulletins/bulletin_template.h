// The mustache template of a bulletin's HTML (bulletin_html.h), in one
// place: the page's structure, its A4 print CSS and its Chinese headings.
#ifndef CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_TEMPLATE_H_
#define CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_TEMPLATE_H_

namespace caserelay::bulletins {

// The template; its names are those RenderHtml() sets (bulletin_html.cc).
extern const char kBulletinTemplate[];

}  // namespace caserelay::bulletins

#endif  // CASERELAY_SERVICES_STATISTICS_BULLETINS_BULLETIN_TEMPLATE_H_
