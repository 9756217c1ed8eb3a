/// Pharos' own default notification templates, under the names Alertmanager's users refer
/// to (`slack.default.title`, `email.default.html`, …). Written for Pharos; the text
/// templates render the same strings as Alertmanager 0.25's defaults (checked in
/// `DefaultTemplateTests` against Alertmanager's file, read from ../shared at test time);
/// the e-mail HTML is Pharos' own layout carrying the same information.
enum DefaultTemplates {
    /// Shared building blocks: the product name, the link to the receiver's alerts, the
    /// subject line (`[FIRING:2] HighLatency api (critical)`) and the plain-text alert lists.
    static let common = #"""
    {{ define "__alertmanager" }}{{ "Alertmanager" }}{{ end }}
    {{ define "__alertmanagerURL" }}{{ printf "%s/#/alerts?receiver=%s" .ExternalURL (urlquery .Receiver) }}{{ end }}
    {{ define "__subject" -}}
      [{{ toUpper .Status }}{{ if eq .Status "firing" }}:{{ len .Alerts.Firing }}{{ end }}]
      {{- " " }}{{ join " " .GroupLabels.SortedPairs.Values }}{{ " " }}
      {{- if lt (len .GroupLabels) (len .CommonLabels) -}}
        ({{ join " " (.CommonLabels.Remove .GroupLabels.Names).Values }})
      {{- end }}
    {{- end }}
    {{ define "__description" }}{{ end }}
    {{ define "__text_alert_list" -}}
      {{ range . -}}
        {{ "Labels:\n" }}
        {{- range .Labels.SortedPairs }}{{ printf " - %s = %s\n" .Name .Value }}{{ end -}}
        {{ "Annotations:\n" }}
        {{- range .Annotations.SortedPairs }}{{ printf " - %s = %s\n" .Name .Value }}{{ end -}}
        {{ printf "Source: %s\n" .GeneratorURL }}
      {{- end }}
    {{- end }}
    {{ define "__text_alert_list_markdown" -}}
      {{ range . -}}
        {{ "\nLabels:\n" }}
        {{- range .Labels.SortedPairs }}{{ printf "  - %s = %s\n" .Name .Value }}{{ end -}}
        {{ "\nAnnotations:\n" }}
        {{- range .Annotations.SortedPairs }}{{ printf "  - %s = %s\n" .Name .Value }}{{ end -}}
        {{ printf "\nSource: %s\n" .GeneratorURL }}
      {{- end }}{{ "\n" }}
    {{- end }}
    """#

    /// `slack_configs` defaults.
    static let slack = #"""
    {{ define "slack.default.title" }}{{ template "__subject" . }}{{ end }}
    {{ define "slack.default.username" }}{{ template "__alertmanager" . }}{{ end }}
    {{ define "slack.default.titlelink" }}{{ template "__alertmanagerURL" . }}{{ end }}
    {{ define "slack.default.fallback" -}}
      {{ template "slack.default.title" . }}{{ " | " }}{{ template "slack.default.titlelink" . }}
    {{- end }}
    {{ define "slack.default.color" }}{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}{{ end }}
    {{ define "slack.default.callbackid" }}{{ end }}
    {{ define "slack.default.pretext" }}{{ end }}
    {{ define "slack.default.iconemoji" }}{{ end }}
    {{ define "slack.default.iconurl" }}{{ end }}
    {{ define "slack.default.text" }}{{ end }}
    {{ define "slack.default.footer" }}{{ end }}
    """#

    /// `pagerduty_configs` defaults (`instances` is applied to `.Alerts.Firing` / `.Resolved`).
    static let pagerduty = #"""
    {{ define "pagerduty.default.description" }}{{ template "__subject" . }}{{ end }}
    {{ define "pagerduty.default.client" }}{{ template "__alertmanager" . }}{{ end }}
    {{ define "pagerduty.default.clientURL" }}{{ template "__alertmanagerURL" . }}{{ end }}
    {{ define "pagerduty.default.instances" }}{{ template "__text_alert_list" . }}{{ end }}
    """#

    /// `email_configs` defaults: the subject, a plain-text body for `text:` users who want
    /// one (`email.default.text`, Pharos' addition), and Pharos' own HTML body.
    static let email = #"""
    {{ define "email.default.subject" }}{{ template "__subject" . }}{{ end }}
    {{ define "email.default.text" -}}
      {{ template "__subject" . }}{{ "\n" }}
      {{- if .Alerts.Firing }}{{ printf "\nFiring:\n" }}{{ template "__text_alert_list" .Alerts.Firing }}{{ end -}}
      {{ if .Alerts.Resolved }}{{ printf "\nResolved:\n" }}{{ template "__text_alert_list" .Alerts.Resolved }}{{ end -}}
      {{ "\nView in " }}{{ template "__alertmanager" . }}{{ ": " }}{{ template "__alertmanagerURL" . }}{{ "\n" }}
    {{- end }}
    {{ define "__email_alert_rows" -}}
      {{ range . -}}
      <tr><td style="padding:8px 0;border-top:1px solid #ddd">
      <strong>Labels</strong><br>
      {{ range .Labels.SortedPairs }}{{ .Name }} = {{ .Value }}<br>
      {{ end -}}
      {{ if .Annotations }}<strong>Annotations</strong><br>
      {{ range .Annotations.SortedPairs }}{{ .Name }} = {{ .Value }}<br>
      {{ end }}{{ end -}}
      {{ if .GeneratorURL }}<a href="{{ .GeneratorURL }}">Source</a><br>
      {{ end -}}
      </td></tr>
      {{ end -}}
    {{- end }}
    {{ define "email.default.html" -}}
    <!DOCTYPE html>
    <html>
    <head>
    <meta charset="UTF-8">
    <meta name="viewport" content="width=device-width">
    <title>{{ template "__subject" . }}</title>
    </head>
    <body style="font-family:sans-serif;font-size:14px;color:#222">
    <table style="max-width:640px;width:100%;border-collapse:collapse">
    <tr><td style="padding:12px;color:#fff;background:{{ if eq .Status "firing" }}#d9534f{{ else }}#5cb85c{{ end }}">
    {{ if eq .Status "firing" }}{{ len .Alerts.Firing }} firing{{ if .Alerts.Resolved }}, {{ len .Alerts.Resolved }} resolved{{ end }}{{ else }}{{ len .Alerts.Resolved }} resolved{{ end }}
    for {{ range .GroupLabels.SortedPairs }}{{ .Name }}={{ .Value }} {{ end }}
    </td></tr>
    <tr><td style="padding:12px 0"><a href="{{ template "__alertmanagerURL" . }}">View in {{ template "__alertmanager" . }}</a></td></tr>
    {{ if .Alerts.Firing -}}
    <tr><td><strong>[{{ len .Alerts.Firing }}] Firing</strong></td></tr>
    {{ template "__email_alert_rows" .Alerts.Firing }}
    {{- end }}
    {{ if .Alerts.Resolved -}}
    <tr><td><strong>[{{ len .Alerts.Resolved }}] Resolved</strong></td></tr>
    {{ template "__email_alert_rows" .Alerts.Resolved }}
    {{- end }}
    <tr><td style="padding:12px 0;color:#888;font-size:12px">Sent by {{ template "__alertmanager" . }}</td></tr>
    </table>
    </body>
    </html>
    {{ end }}
    """#

    /// Bodies shared by the incident and chat integrations: the common annotation values, and
    /// the firing and resolved lists, either tight (`Alerts Firing:` right after the previous
    /// line) or padded by blank lines.
    static let sections = #"""
    {{ define "__pharos_annotation_values" }}{{ join " " .CommonAnnotations.SortedPairs.Values }}{{ end }}
    {{ define "__pharos_sections" -}}
      {{ if .Alerts.Firing }}{{ "Alerts Firing:\n" }}{{ template "__text_alert_list" .Alerts.Firing }}{{ end }}{{ "\n" }}
      {{- if .Alerts.Resolved }}{{ "Alerts Resolved:\n" }}{{ template "__text_alert_list" .Alerts.Resolved }}{{ end }}
    {{- end }}
    {{ define "__pharos_padded_sections" -}}
      {{ if .Alerts.Firing }}{{ "\nAlerts Firing:\n" }}{{ template "__text_alert_list" .Alerts.Firing }}{{ "\n" }}{{ end }}{{ "\n" }}
      {{- if .Alerts.Resolved }}{{ "\nAlerts Resolved:\n" }}{{ template "__text_alert_list" .Alerts.Resolved }}{{ "\n" }}{{ end }}{{ "\n" }}
    {{- end }}
    {{ define "__pharos_summary" }}{{ template "__pharos_annotation_values" . }}{{ "\n" }}{{ template "__pharos_sections" . }}{{ end }}
    {{ define "__pharos_padded_summary" -}}
      {{ template "__pharos_annotation_values" . }}{{ "\n" }}{{ template "__pharos_padded_sections" . }}
    {{- end }}
    {{ define "__pharos_padded_lists" }}{{ "\n" }}{{ template "__pharos_padded_sections" . }}{{ end }}
    """#

    /// `opsgenie_configs`, `victorops_configs`, `pushover_configs` and `sns_configs` defaults.
    static let incident = #"""
    {{ define "opsgenie.default.message" }}{{ template "__subject" . }}{{ end }}
    {{ define "opsgenie.default.description" }}{{ template "__pharos_summary" . }}{{ end }}
    {{ define "opsgenie.default.source" }}{{ template "__alertmanagerURL" . }}{{ end }}
    {{ define "victorops.default.state_message" }}{{ template "__pharos_summary" . }}{{ end }}
    {{ define "victorops.default.entity_display_name" }}{{ template "__subject" . }}{{ end }}
    {{ define "victorops.default.monitoring_tool" }}{{ template "__alertmanager" . }}{{ end }}
    {{ define "pushover.default.title" }}{{ template "__subject" . }}{{ end }}
    {{ define "pushover.default.message" }}{{ template "__pharos_padded_summary" . }}{{ end }}
    {{ define "pushover.default.url" }}{{ template "__alertmanagerURL" . }}{{ end }}
    {{ define "sns.default.subject" }}{{ template "__subject" . }}{{ end }}
    {{ define "sns.default.message" }}{{ template "__pharos_padded_summary" . }}{{ end }}
    """#

    /// `telegram_configs`, `discord_configs`, `webex_configs` and `wechat_configs` defaults.
    static let chat = #"""
    {{ define "telegram.default.message" }}{{ template "__pharos_padded_lists" . }}{{ end }}
    {{ define "discord.default.title" }}{{ template "__subject" . }}{{ end }}
    {{ define "discord.default.message" }}{{ template "__pharos_padded_lists" . }}{{ end }}
    {{ define "webex.default.message" }}{{ template "__pharos_padded_summary" . }}{{ end }}
    {{ define "wechat.default.message" -}}
      {{ template "__subject" . }}{{ "\n" }}{{ template "__pharos_annotation_values" . }}{{ "\n" }}
      {{- template "__pharos_sections" . }}{{ "\nAlertmanagerUrl:\n" }}{{ template "__alertmanagerURL" . }}
    {{- end }}
    {{ define "wechat.default.to_user" }}{{ end }}
    {{ define "wechat.default.to_party" }}{{ end }}
    {{ define "wechat.default.to_tag" }}{{ end }}
    {{ define "wechat.default.agent_id" }}{{ end }}
    """#

    /// Every default, in load order (users' `templates:` files go after these).
    static let all = [("pharos-default-common.tmpl", common), ("pharos-default-slack.tmpl", slack),
                      ("pharos-default-pagerduty.tmpl", pagerduty), ("pharos-default-email.tmpl", email),
                      ("pharos-default-sections.tmpl", sections), ("pharos-default-incident.tmpl", incident),
                      ("pharos-default-chat.tmpl", chat)]
}
