import NIOCore
import NIOHTTP1
import Synchronization

/// One response as the http prober needs it: head, body (up to the limit), and when each part arrived.
struct CollectedResponse: Sendable {
    var head: HTTPResponseHead
    var body: ByteBuffer
    var responseStart: ContinuousClock.Instant
    var end: ContinuousClock.Instant?
    var bodyError: String?
}

/// Collects one HTTP response: fulfils `headPromise` at the head and `endPromise` at the end
/// of the body (or the first error, including the body limit).
final class ResponseCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    let headPromise: EventLoopPromise<(HTTPResponseHead, ContinuousClock.Instant)>
    let endPromise: EventLoopPromise<(ByteBuffer, ContinuousClock.Instant)>
    let limit: Int64
    var body = ByteBuffer()
    var sawHead = false

    init(headPromise: EventLoopPromise<(HTTPResponseHead, ContinuousClock.Instant)>,
         endPromise: EventLoopPromise<(ByteBuffer, ContinuousClock.Instant)>, limit: Int64) {
        self.headPromise = headPromise
        self.endPromise = endPromise
        self.limit = limit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            sawHead = true
            headPromise.succeed((head, .now))
        case .body(var part):
            if limit > 0, Int64(body.readableBytes + part.readableBytes) > limit {
                endPromise.fail(ProbeFailure("http: request body too large"))
                context.close(promise: nil)
                return
            }
            body.writeBuffer(&part)
        case .end:
            endPromise.succeed((body, .now))
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        headPromise.fail(error)
        endPromise.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        headPromise.fail(ProbeFailure(sawHead ? "unexpected EOF" : "EOF"))
        endPromise.fail(ProbeFailure("unexpected EOF"))
        context.fireChannelInactive()
    }
}
