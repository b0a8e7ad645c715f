#include "common/admin/http_message.h"

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::admin {
namespace {

TEST(FindEndOfHeadTest, FindsCrLfAndBareLfBlankLines) {
  EXPECT_EQ(FindEndOfHead("GET / HTTP/1.1\r\nA: b\r\n\r\nbody"), 24u);
  EXPECT_EQ(FindEndOfHead("GET / HTTP/1.1\n\nbody"), 16u);
  EXPECT_EQ(FindEndOfHead("GET / HTTP/1.1\r\nA: b\r\n"),
            std::string_view::npos);
  EXPECT_EQ(FindEndOfHead(""), std::string_view::npos);
}

TEST(ParseRequestHeadTest, ParsesRequestLineAndHeaders) {
  absl::StatusOr<RequestHead> head = ParseRequestHead(
      "POST /dlr?id=1 HTTP/1.1\r\n"
      "Host: 127.0.0.1\r\n"
      "Content-Length:  5 \r\n"
      "X-Tag: a\r\n"
      "x-tag: b\r\n"
      "\r\n");
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->method, "POST");
  EXPECT_EQ(head->target, "/dlr?id=1");
  EXPECT_EQ(head->version, "HTTP/1.1");
  EXPECT_EQ(
      head->headers,
      (std::map<std::string, std::string>{
          {"content-length", "5"}, {"host", "127.0.0.1"}, {"x-tag", "a, b"}}));
}

TEST(ParseRequestHeadTest, RejectsMalformedHeads) {
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"", "empty request"},
      {"GARBAGE\r\n", "request line"},
      {"GET /  HTTP/1.1\r\n", "request line"},
      {"GET / HTTP/1.1 extra\r\n", "request line"},
      {"G(T / HTTP/1.1\r\n", "method"},
      {"GET index.html HTTP/1.1\r\n", "target must start with '/'"},
      {"GET http://x/ HTTP/1.1\r\n", "target must start with '/'"},
      {"GET / HTTP/2\r\n", "version"},
      {"GET / HTTP/1.1\r\nNoColon\r\n", "header line"},
      {"GET / HTTP/1.1\r\nBad Name: x\r\n", "header line"},
      {"GET / HTTP/1.1\r\nA: b\r\n  folded\r\n", "folded header line"},
  };
  for (const auto& [text, what] : rows) {
    absl::StatusOr<RequestHead> head = ParseRequestHead(text);
    EXPECT_EQ(head.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(std::string(head.status().message()),
                ::testing::HasSubstr(what))
        << text;
  }
}

RequestHead HeadWith(std::map<std::string, std::string> headers) {
  RequestHead head;
  head.headers = std::move(headers);
  return head;
}

TEST(BodyLengthTest, ReadsContentLength) {
  EXPECT_EQ(*BodyLength(HeadWith({})), 0u);
  EXPECT_EQ(*BodyLength(HeadWith({{"content-length", "42"}})), 42u);
  EXPECT_EQ(*BodyLength(HeadWith({{"content-length", "7, 7"}})), 7u);
  EXPECT_EQ(*BodyLength(HeadWith(
                {{"content-length", "3"}, {"transfer-encoding", "identity"}})),
            3u);
}

TEST(BodyLengthTest, RejectsBadContentLengthAndChunked) {
  for (const std::string bad :
       {"", "-1", "1e3", "0x10", "5, 6", "9999999999999999999999"}) {
    EXPECT_EQ(BodyLength(HeadWith({{"content-length", bad}})).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
  EXPECT_EQ(
      BodyLength(HeadWith({{"transfer-encoding", "chunked"}})).status().code(),
      absl::StatusCode::kUnimplemented);
}

TEST(UrlDecodeTest, DecodesPercentAndPlus) {
  EXPECT_EQ(*UrlDecode("%E4%B8%AD", true), "中");
  EXPECT_EQ(*UrlDecode("a+b%20c", true), "a b c");
  EXPECT_EQ(*UrlDecode("a+b", false), "a+b");
  EXPECT_EQ(*UrlDecode("%2b%2B", true), "++");
  EXPECT_EQ(*UrlDecode("", true), "");
}

TEST(UrlDecodeTest, RejectsBrokenEscapes) {
  for (const std::string bad : {"%", "%4", "%G0", "a%zz", "100%"}) {
    EXPECT_EQ(UrlDecode(bad, true).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(ParseQueryTest, SplitsAndDecodesPairs) {
  absl::StatusOr<std::map<std::string, std::string>> q =
      ParseQuery("name=%E4%B8%AD&msg=a+b&flag&&x=1&x=2&k%3D=v%26");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(*q, (std::map<std::string, std::string>{{"flag", ""},
                                                    {"k=", "v&"},
                                                    {"msg", "a b"},
                                                    {"name", "中"},
                                                    {"x", "2"}}));
  EXPECT_EQ(ParseQuery("a=%ZZ").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(FormatResponseTest, WritesStatusHeadersAndBody) {
  HttpResponse r;
  r.status = 404;
  r.body = "nope\n";
  EXPECT_EQ(FormatResponse(r, true),
            "HTTP/1.1 404 Not Found\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Length: 5\r\n"
            "Connection: close\r\n"
            "\r\n"
            "nope\n");
  EXPECT_EQ(FormatResponse(r, false),
            "HTTP/1.1 404 Not Found\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Length: 5\r\n"
            "Connection: close\r\n"
            "\r\n");
}

TEST(FormatResponseTest, OutOfRangeStatusBecomes500) {
  HttpResponse r;
  r.status = 42;
  EXPECT_THAT(FormatResponse(r, true),
              ::testing::StartsWith("HTTP/1.1 500 Internal Server Error\r\n"));
}

}  // namespace
}  // namespace caserelay::admin
