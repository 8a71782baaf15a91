// Reads an XLIFF 1.2 or 2.0 file with the npm package `xliff` and prints
// how many units it holds and whether every unit has a target.
const fs = require("fs");
const xliff = require("xliff");

const text = fs.readFileSync(process.argv[2], "utf8");
const parse = text.includes('version="2.0"') ? xliff.xliff2js : xliff.xliff12ToJs;
parse(text, (err, res) => {
  if (err) {
    console.error(String(err));
    process.exit(1);
  }
  let units = 0;
  let targets = 0;
  for (const file of Object.values(res.resources)) {
    for (const unit of Object.values(file)) {
      units += 1;
      if (unit.target !== undefined && unit.target !== "") targets += 1;
    }
  }
  console.log(`units ${units}`);
  console.log(units === targets ? "targets ok" : `targets ${targets}`);
});
