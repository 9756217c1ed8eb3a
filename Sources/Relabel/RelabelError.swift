/// Why a relabel configuration was rejected. The one error type of the Relabel module.
///
/// `description` is Prometheus' message (`"foo-" is invalid 'target_label' for replace action`);
/// the config loader prefixes it with the file position and key path.
package struct RelabelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Extensible kind: new kinds may be added without breaking callers.
    package struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable { case invalidConfig, invalidRegex, unknownAction }
        private let base: Base
        /// A combination of fields that Prometheus rejects.
        package static let invalidConfig = Kind(base: .invalidConfig)
        /// The regex does not compile.
        package static let invalidRegex = Kind(base: .invalidRegex)
        /// The action name is not one of Prometheus' actions.
        package static let unknownAction = Kind(base: .unknownAction)
        package var description: String { "\(base)" }
    }

    package var kind: Kind
    package var message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String { message }
}
