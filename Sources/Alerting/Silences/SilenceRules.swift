import Foundation
import PharosCore

/// Why a silence was refused, in Alertmanager's words.
package struct SilenceError: Error, Sendable, Hashable, CustomStringConvertible {
    package var notFound: Bool
    package var message: String
    package init(notFound: Bool = false, _ message: String) {
        self.notFound = notFound
        self.message = message
    }
    package var description: String { message }
}

/// Alertmanager's silence lifecycle rules (`silence.go`), pure: validation, whether an update
/// may change a silence in place, and expiry.
package enum SilenceRules {
    /// `validateSilence`.
    package static func validate(_ silence: Silence) throws(SilenceError) {
        if silence.matchers.isEmpty { throw SilenceError("invalid silence: at least one matcher required") }
        var allMatchEmpty = true
        for matcher in silence.matchers {
            guard Labels.isValidLegacyName(matcher.name) else {
                throw SilenceError("invalid silence: invalid label matcher: invalid label name \(goQuote(matcher.name))")
            }
            guard let compiled = matcher.labelMatcher else {
                throw SilenceError("invalid silence: invalid label matcher: invalid regular expression \(goQuote(matcher.value))")
            }
            if !compiled.matchesEmpty { allMatchEmpty = false }
        }
        if allMatchEmpty { throw SilenceError("invalid silence: at least one matcher must not match the empty string") }
        if silence.endsAt < silence.startsAt { throw SilenceError("invalid silence: end time must not be before start time") }
    }

    /// `canUpdate`: same matchers, and the time changes the current state allows.
    package static func canUpdate(_ old: Silence, to new: Silence, now: Date) -> Bool {
        guard old.matchers == new.matchers else { return false }
        switch old.state(at: now) {
        case .active:
            if new.startsAt != old.startsAt { return false }
            if new.endsAt < now { return false }
        case .pending:
            if new.startsAt < now { return false }
        case .expired:
            return false
        }
        return true
    }

    /// What `set` does with a silence posted with (or without) an id.
    package enum SetAction: Equatable, Sendable {
        /// Store it under its id (an update in place).
        case update(Silence)
        /// Expire `expiring` (when given, and not already expired), then store `create` under a new id.
        case replace(expiring: Silence?, create: Silence)
    }

    /// `Silences.Set`: throws not-found for an unknown id.
    package static func set(_ silence: Silence, existing: Silence?, now: Date) throws(SilenceError) -> SetAction {
        try validate(silence)
        if !silence.id.isEmpty, existing == nil { throw SilenceError(notFound: true, "silence not found") }
        var silence = silence
        silence.updatedAt = now
        if let existing, canUpdate(existing, to: silence, now: now) { return .update(silence) }
        var created = silence
        created.id = ""
        if created.startsAt < now { created.startsAt = now }
        let expiring = existing.flatMap { $0.state(at: now) == .expired ? nil : expired($0, now: now) }
        return .replace(expiring: expiring, create: created)
    }

    /// `Silences.expire`: a pending silence ends before it starts, an active one now.
    package static func expired(_ silence: Silence, now: Date) -> Silence? {
        var silence = silence
        switch silence.state(at: now) {
        case .expired: return nil
        case .active: silence.endsAt = now
        case .pending:
            silence.startsAt = now
            silence.endsAt = now
        }
        silence.updatedAt = now
        return silence
    }
}
