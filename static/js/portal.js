// Unit picker: a search box whose htmx results set a hidden input when one is chosen.
document.addEventListener("click", function (event) {
  var option = event.target.closest("[data-pick]");
  if (!option) return;
  var picker = option.closest(".unit-picker");
  picker.querySelector("input[type=hidden]").value = option.dataset.pick;
  var search = picker.querySelector("input[type=search]");
  search.value = option.dataset.label;
  search.classList.remove("is-invalid");
  picker.querySelector(".unit-picker-results").innerHTML = "";
});

// Formset rows added with htmx (no page reload): fetch an empty row for the next index,
// append it, and keep the management form's TOTAL_FORMS in step.
document.addEventListener("click", function (event) {
  var add = event.target.closest("[data-add-row]");
  if (add) {
    var total = document.querySelector(add.dataset.total);
    var index = parseInt(total.value, 10);
    htmx.ajax("GET", add.dataset.url + "?i=" + index, { target: add.dataset.target, swap: "beforeend" }).then(function () {
      total.value = index + 1;
      var row = document.querySelector(add.dataset.target + " [data-index='" + index + "'] textarea, " + add.dataset.target + " [data-index='" + index + "'] input");
      if (row) row.focus();
    });
    return;
  }
  var remove = event.target.closest("[data-remove-row]");
  if (remove) {
    // Removing the last row keeps indexes contiguous; earlier rows are cleared instead.
    var row = remove.closest(".petition-row");
    var container = row.parentElement;
    var totalInput = document.querySelector("[name$='-TOTAL_FORMS']");
    if (row === container.lastElementChild) {
      row.remove();
      totalInput.value = parseInt(totalInput.value, 10) - 1;
    } else {
      row.querySelectorAll("input, textarea, select").forEach(function (el) {
        if (el.type === "checkbox") el.checked = false; else el.value = "";
      });
      row.classList.add("opacity-50");
    }
  }
});
