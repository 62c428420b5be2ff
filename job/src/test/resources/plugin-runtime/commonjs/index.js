// A CommonJS plugin in several files: a folder module, a JSON file and a shared helper.
const { upper } = require('./lib')
const defaults = require('./defaults.json')

module.exports = {
    processEvent(event) {
        event.properties.shout = upper(defaults.word)
        return event
    },
}
