/// The text exposition formats the parser understands.
package enum ExpositionFormat: Sendable, Hashable, CustomStringConvertible {
    /// Prometheus text format 0.0.4 (`text/plain; version=0.0.4`).
    case text004
    /// OpenMetrics 1.0 text (`application/openmetrics-text; version=1.0.0`).
    case openMetrics

    /// The `Accept` header Prometheus sends on scrapes with its default `scrape_protocols`
    /// (OpenMetrics 1.0.0, OpenMetrics 0.0.1, text 0.0.4), weighted as its `acceptHeader` does
    /// since 2.49; 2.42–2.48 sent the same preference order with q=1/0.75/0.5/0.1.
    package static let scrapeAcceptHeader =
        "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2"

    /// The `Accept` header for a scrape that wants only the Prometheus text format.
    package static let textOnlyAcceptHeader = "text/plain;version=0.0.4;q=1,*/*;q=0.1"

    /// The `Content-Type` a writer of this format sets.
    package var contentType: String {
        switch self {
        case .text004: "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }

    package var description: String {
        switch self {
        case .text004: "text 0.0.4"
        case .openMetrics: "OpenMetrics 1.0"
        }
    }

    /// Maps a response `Content-Type` to the parser format.
    ///
    /// `application/openmetrics-text` (any version: 1.0.0, 0.0.1, none) selects OpenMetrics, as
    /// Prometheus' `textparse.New` does; everything else — `text/plain`, an empty, missing or unknown type — falls back to text
    /// 0.0.4, as Prometheus does. Media type and parameter names are case-insensitive.
    package init(contentType: String?) {
        guard let contentType else { self = .text004; return }
        let parts = contentType.split(separator: ";", omittingEmptySubsequences: false)
        let media = parts.first.map { $0.trimmingASCIIWhitespace().lowercased() } ?? ""
        self = media == "application/openmetrics-text" ? .openMetrics : .text004
    }
}

extension Substring {
    fileprivate func trimmingASCIIWhitespace() -> String {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
