// The figures page: the unit picker fills the level and code the server reads.
"use strict";

document.getElementById("unit-picker").addEventListener("change", function () {
  const [level, code] = this.value.split(":");
  this.form.elements.level.value = level;
  this.form.elements.code.value = code;
  this.form.submit();
});
