import NIOCore
import PromQLParser

extension PrometheusAPI {
    /// `/api/v1/format_query?query=…`: the expression as Prometheus' prettifier writes it
    /// (`data` is a string); a parse error is `bad_data` with `invalid parameter "query"`.
    package func formatQuery(_ form: FormParameters) throws(APIError) -> ByteBuffer {
        let expr: Expr
        do {
            expr = try parseExpr(form["query"] ?? "")
        } catch {
            throw APIError.invalidParameter("query", error.description)
        }
        let text = expr.prettyDescription
        return APIResponse.success { json in json.string(text) }
    }
}
