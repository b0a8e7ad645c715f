#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "domain/sms/triggers.h"
#include "grpcpp/grpcpp.h"
#include "services/notification/dev_file_gateway.h"
#include "services/notification/notification_service.h"
#include "services/notification/sender.h"

namespace caserelay::notification {
namespace {

class NotificationParts final : public service::Service {
 public:
  NotificationParts(
      const service::Context& context, std::unique_ptr<SmsGateway> gateway,
      sms::TemplateSet templates,
      std::unique_ptr<caserelay::v1::IntakeService::StubInterface> intake,
      SenderOptions options, SmsTexts texts)
      : gateway_(std::move(gateway)),
        templates_(std::move(templates)),
        sender_(context, gateway_.get(), &templates_, std::move(intake),
                options),
        impl_(
            context, [this] { sender_.Wake(); }, std::move(texts)) {}

  std::vector<grpc::Service*> GrpcServices() override { return {&impl_}; }
  std::vector<service::Subscription> Subscriptions() override {
    return {{"case-events", {"case-events"}, &impl_}};
  }
  absl::Status Start() override { return sender_.Start(); }
  void Stop() override { sender_.Stop(); }

 private:
  std::unique_ptr<SmsGateway> gateway_;
  sms::TemplateSet templates_;
  Sender sender_;
  NotificationServiceImpl impl_;
};

}  // namespace

service::ServiceDefinition NotificationDefinition() {
  using T = config::Setting::Type;
  const SmsTexts defaults;
  service::ServiceDefinition def;
  def.name = "notification";
  def.summary = "sends the petitioner's SMS through the gateway, exactly once";
  def.settings = {
      {"intake.address", T::kHostPort, "", true,
       "intake's gRPC address, asked for the phone number at send time"},
      {"templates.dir", T::kPath, "data/sms/templates", false,
       "SMS templates, one <trigger>.txt each"},
      {"sms.max_parts", T::kInt, "6", false,
       "most parts a long SMS may take (67 characters each)"},
      {"sms.max_attempts", T::kInt, "5", false,
       "temporary gateway failures before a message is given up (SmsFailed)"},
      {"notification.gateway", T::kString, "dev-file", false,
       "dev-file (a development sink writing messages to dev.sink_path)"},
      {"dev.sink_path", T::kString, "", false,
       "file the dev-file development sink appends messages to"},
      {"sms.view_hint", T::kString, defaults.view_hint, false,
       "where the petitioner views a result (replied, review_decided, "
       "rereview_decided)"},
      {"sms.reason.statutory_route", T::kString,
       defaults.reason_statutory_route, false,
       "not_accepted reason for a matter with a statutory route (Art. 31)"},
      {"sms.reason.redirect", T::kString, defaults.reason_redirect, false,
       "not_accepted reason for a redirected petition (越级走访, in progress "
       "below)"},
      {"sms.reason.terminated", T::kString, defaults.reason_terminated, false,
       "not_accepted reason for a matter already re-reviewed (信访终结)"},
      {"sms.reason.neutral", T::kString, defaults.reason_neutral, false,
       "reason sent instead of an accusation's, or when an office gave none"},
      {"sms.route.default", T::kString, defaults.route_default, false,
       "route sent when routing or the office named none"},
  };
  def.column_families = ColumnFamilies();
  def.create = [](const service::Context& context)
      -> absl::StatusOr<std::unique_ptr<service::Service>> {
    const config::Config& cfg = *context.config;
    auto templates = sms::TemplateSet::Load(cfg.GetPath("templates.dir"),
                                            sms::StandardTriggers());
    if (!templates.ok()) return templates.status();
    std::unique_ptr<SmsGateway> gateway;
    if (cfg.GetString("notification.gateway") == "dev-file") {
      if (cfg.GetString("dev.sink_path").empty()) {
        return absl::InvalidArgumentError(
            "config: dev.sink_path is required with notification.gateway = "
            "dev-file");
      }
      gateway =
          std::make_unique<DevFileGateway>(cfg.GetString("dev.sink_path"));
      log::Warn("SMS go to the development sink, not to phones",
                {{"path", cfg.GetString("dev.sink_path")}});
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "config: notification.gateway \"",
          cfg.GetString("notification.gateway"), "\" is not one of: dev-file"));
    }
    auto channel =
        grpc::CreateChannel(cfg.GetHostPort("intake.address").ToString(),
                            grpc::InsecureChannelCredentials());
    SenderOptions options;
    options.max_attempts = static_cast<int>(cfg.GetInt("sms.max_attempts"));
    options.segments.max_parts = static_cast<int>(cfg.GetInt("sms.max_parts"));
    SmsTexts texts;
    for (auto [key, field] :
         std::initializer_list<std::pair<const char*, std::string SmsTexts::*>>{
             {"sms.view_hint", &SmsTexts::view_hint},
             {"sms.reason.statutory_route", &SmsTexts::reason_statutory_route},
             {"sms.reason.redirect", &SmsTexts::reason_redirect},
             {"sms.reason.terminated", &SmsTexts::reason_terminated},
             {"sms.reason.neutral", &SmsTexts::reason_neutral},
             {"sms.route.default", &SmsTexts::route_default}}) {
      texts.*field = cfg.GetString(key);
      if ((texts.*field).empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("config: ", key, " must not be empty"));
      }
    }
    return std::make_unique<NotificationParts>(
        context, std::move(gateway), *std::move(templates),
        caserelay::v1::IntakeService::NewStub(channel), options,
        std::move(texts));
  };
  return def;
}

}  // namespace caserelay::notification
