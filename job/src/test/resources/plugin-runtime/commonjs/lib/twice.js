exports.twice = (text) => text + text
