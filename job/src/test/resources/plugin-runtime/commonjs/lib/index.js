const { twice } = require('../lib/twice')
exports.upper = (text) => twice(text.toUpperCase())
