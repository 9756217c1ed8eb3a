import PharosHTTP
import PromQL

// The engine already has the two methods the HTTP layer needs.
extension Engine: PromQLQuerying {}
