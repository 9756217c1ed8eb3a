import Exposition
import PharosCore

extension ScrapeRunner {
    /// Records a TYPE, HELP or UNIT line in the target's metadata store; other entries are
    /// ignored. Called only for non-series entries, so series lines pay nothing.
    func recordMetadata(_ entry: ExpositionEntry, _ parser: ExpositionParser) {
        switch entry {
        case .type:
            let (name, type) = parser.currentType()
            metadata.setType(name, type)
        case .help:
            let (name, text) = parser.currentHelp()
            metadata.setHelp(name, text)
        case .unit:
            let (name, unit) = parser.currentUnit()
            metadata.setUnit(name, unit)
        case .comment, .series, .eof:
            break
        }
    }
}
