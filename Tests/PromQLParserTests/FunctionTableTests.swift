import Testing
@testable import PromQLParser

/// The function table mirrors Prometheus' `parser.Functions`.
@Suite(.timeLimit(.minutes(5))) struct FunctionTableTests {
    @Test func signatures() throws {
        let rate = try #require(functionTable["rate"])
        #expect(rate.argTypes == [.matrix] && rate.returnType == .vector && rate.variadic == 0 && !rate.experimental)
        let join = try #require(functionTable["label_join"])
        #expect(join.argTypes == [.vector, .string, .string, .string] && join.variadic == -1)
        let round = try #require(functionTable["round"])
        #expect(round.argTypes == [.vector, .scalar] && round.variadic == 1)
        let quantiles = try #require(functionTable["histogram_quantiles"])
        #expect(quantiles.variadic == 9 && quantiles.experimental)
        #expect(functionTable["time"]?.returnType == .scalar && functionTable["scalar"]?.returnType == .scalar)
        #expect(functionTable.values.allSatisfy { functionTable[$0.name] == $0 })
        #expect(FunctionSignature.named("holt_winters") == nil)
    }

    @Test(arguments: ["double_exponential_smoothing", "info", "mad_over_time", "sort_by_label", "sort_by_label_desc",
                      "first_over_time", "ts_of_max_over_time", "ts_of_min_over_time", "ts_of_last_over_time",
                      "ts_of_first_over_time", "integral", "start", "end", "step", "range"])
    func experimentalFunctionsAreFlagged(name: String) {
        #expect(functionTable[name]?.experimental == true, "\(name)")
    }

    @Test(arguments: ["abs", "absent", "absent_over_time", "ceil", "changes", "clamp", "clamp_max", "clamp_min",
                      "day_of_month", "day_of_week", "day_of_year", "days_in_month", "delta", "deriv", "exp", "floor",
                      "histogram_avg", "histogram_count", "histogram_sum", "histogram_stddev", "histogram_stdvar",
                      "histogram_fraction", "histogram_quantile", "hour", "idelta", "increase", "irate",
                      "label_replace", "last_over_time", "ln", "log10", "log2", "max_over_time", "min_over_time",
                      "minute", "month", "pi", "predict_linear", "present_over_time", "quantile_over_time", "rate",
                      "resets", "round", "scalar", "sgn", "sort", "sort_desc", "sqrt", "stddev_over_time",
                      "stdvar_over_time", "sum_over_time", "time", "timestamp", "vector", "year", "acos", "acosh",
                      "asin", "asinh", "atan", "atanh", "cos", "cosh", "deg", "rad", "sin", "sinh", "tan", "tanh",
                      "avg_over_time", "count_over_time"])
    func stableFunctionsAreNotExperimental(name: String) {
        #expect(functionTable[name]?.experimental == false, "\(name)")
    }
}
