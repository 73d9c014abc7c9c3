document.getElementById("w").token = "demo-token";
