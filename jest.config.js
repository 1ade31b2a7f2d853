module.exports = {
  projects: ['<rootDir>/packages/*', '<rootDir>/compat-tests'],
};
