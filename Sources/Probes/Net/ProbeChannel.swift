import NIOCore
import NIOPosix
import NIOTLS

extension EventLoopFuture {
    /// Awaits the future; cancelling the task runs `onCancel` (closing the channel) so the
    /// future fails promptly.
    func get(onCancel: @escaping @Sendable () -> Void) async throws -> Value where Value: Sendable {
        try await withTaskCancellationHandler { try await self.get() } onCancel: { onCancel() }
    }
}

extension ProbeContext {
    /// A TCP connection to `address` within the deadline; the channel closes at the deadline.
    func connect(to address: SocketAddress, initializer: @escaping @Sendable (any Channel) -> EventLoopFuture<Void> = { $0.eventLoop.makeSucceededVoidFuture() }) async throws -> any Channel {
        let bootstrap = ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(.nanoseconds(Int64(max(1, seconds(remaining) * 1e9))))
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelInitializer(initializer)
        let channel = try await bootstrap.connect(to: address).get()
        closeAtDeadline(channel)
        return channel
    }

    func closeAtDeadline(_ channel: any Channel) {
        let task = channel.eventLoop.scheduleTask(deadline: nioDeadline) { channel.close(promise: nil) }
        channel.closeFuture.whenComplete { _ in task.cancel() }
    }
}

/// Completes `promise` when the TLS handshake ends (or the channel fails first).
final class HandshakeWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    let promise: EventLoopPromise<Void>
    init(promise: EventLoopPromise<Void>) { self.promise = promise }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event { promise.succeed(()) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(ChannelError.eof)
        context.fireChannelInactive()
    }
}
